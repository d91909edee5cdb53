import { ApiSuccessBody, decidedEventsSchema as decidedEvents } from '@pm/platform/http';

/** The answer of every schedule write (`ScheduleChangeResponse`). */
export const ApiScheduleChange = () =>
  ApiSuccessBody({
    type: 'object',
    required: ['projectId', 'version', 'changes', 'calculation'],
    properties: {
      projectId: { type: 'string' },
      version: { type: 'integer', description: 'Stream version after the change' },
      changes: { ...decidedEvents, description: 'The schedule events the request decided (empty when it changed nothing)' },
      calculation: { ...decidedEvents, description: 'What the critical-path recalculation published: moved tasks and the project result' },
    },
  });

/** The answer of every project command after creation (`ProjectChangeResult`). */
export const ApiProjectChange = () =>
  ApiSuccessBody({
    type: 'object',
    required: ['projectId', 'version', 'status', 'changes'],
    properties: {
      projectId: { type: 'string' },
      version: { type: 'integer', description: 'Stream version after the change' },
      status: { type: 'string', description: 'Lifecycle status of the project after the change' },
      changes: { ...decidedEvents, description: 'The project events the request decided' },
    },
  });

/** The answer of every change-request command (`ChangeRequestResult`). */
export const ApiChangeRequestDecision = () =>
  ApiSuccessBody({
    type: 'object',
    required: ['changeRequestId', 'version', 'status', 'changes'],
    properties: {
      changeRequestId: { type: 'string' },
      version: { type: 'integer', description: 'Stream version after the change' },
      status: { type: 'string', description: 'Status of the change request after the command' },
      changes: { ...decidedEvents, description: 'The change-request events the request decided' },
      schedule: { type: 'object', additionalProperties: true, description: 'For an applied change: what it did to the schedule (changes and the recalculation)' },
    },
  });
