import { ApiSuccessBody, decidedEventsSchema } from '@pm/platform/http';

/** The answer of every resource-pool command (`ResourceResult`). */
export const ApiResourceChange = () =>
  ApiSuccessBody({
    type: 'object',
    required: ['resourceId', 'version', 'events'],
    properties: {
      resourceId: { type: 'string' },
      version: { type: 'integer', description: 'Stream version after the change' },
      events: { ...decidedEventsSchema, description: 'The resource events the request decided' },
    },
  });

/** The answer of every assignment command (`AssignmentResult`). */
export const ApiAssignmentChange = () =>
  ApiSuccessBody({
    type: 'object',
    required: ['assignmentId', 'version', 'state', 'events'],
    properties: {
      assignmentId: { type: 'string' },
      version: { type: 'integer', description: 'Stream version after the change' },
      state: { type: 'object', additionalProperties: true, description: 'The assignment after the change' },
      events: { ...decidedEventsSchema, description: 'The assignment events the request decided' },
    },
  });
