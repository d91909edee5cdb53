import { z } from 'zod';
import { defineEventContract } from '../registry/event-contract';
import { isoDateSchema, isoDateTimeSchema, uuidSchema } from '../shared/contract-primitives.schema';
import { EXAMPLE_PROJECT_ID, taskConstraintSchema, taskIdSchema } from './schedule-primitives.schema';

/**
 * A project manager's decision on a pm.resource.LevellingProposed, on the project's schedule stream (ADR 0107).
 * The accepted moves themselves are the TaskConstrained events (start no earlier than) appended with it, followed
 * by the recalculated dates (TaskScheduleChanged).
 */

export const levellingProposalAcceptedV1Schema = z.strictObject({
  projectId: uuidSchema,
  proposalId: uuidSchema.describe('The proposalId of pm.resource.LevellingProposed'),
  moves: z
    .array(
      z.strictObject({
        taskId: taskIdSchema,
        fromStart: isoDateSchema,
        toStart: isoDateSchema.describe('Now the task’s start-no-earlier-than date'),
        previousConstraint: taskConstraintSchema.describe('The constraint the levelling replaced: un-levelling restores it'),
      }),
    )
    .describe('The moves of this project only; a portfolio proposal is accepted project by project'),
  acceptedBy: z.string().min(1),
  acceptedAt: isoDateTimeSchema,
});
export type LevellingProposalAcceptedV1 = z.output<typeof levellingProposalAcceptedV1Schema>;
export const levellingProposalAcceptedV1 = defineEventContract({
  context: 'planning',
  name: 'LevellingProposalAccepted',
  version: 1,
  schema: levellingProposalAcceptedV1Schema,
  description:
    'A levelling proposal was accepted for a project: each moved task now starts no earlier than its levelled start. ' +
    'Published with the TaskConstrained and TaskScheduleChanged events of the same change; accepting again publishes nothing.',
  example: {
    projectId: EXAMPLE_PROJECT_ID,
    proposalId: '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a',
    moves: [{ taskId: 'test', fromStart: '2025-09-08', toStart: '2025-09-15', previousConstraint: { type: 'ASAP', date: null } }],
    acceptedBy: 'user:pm-1',
    acceptedAt: '2025-09-05T14:00:00.000Z',
  },
});

export const levellingProposalRejectedV1Schema = z.strictObject({
  projectId: uuidSchema,
  proposalId: uuidSchema,
  reason: z.string().nullable(),
  rejectedBy: z.string().min(1),
  rejectedAt: isoDateTimeSchema,
});
export type LevellingProposalRejectedV1 = z.output<typeof levellingProposalRejectedV1Schema>;
export const levellingProposalRejectedV1 = defineEventContract({
  context: 'planning',
  name: 'LevellingProposalRejected',
  version: 1,
  schema: levellingProposalRejectedV1Schema,
  description: 'A levelling proposal was rejected for a project; the plan did not change.',
  example: {
    projectId: EXAMPLE_PROJECT_ID,
    proposalId: '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a',
    reason: 'We will bring in a contractor instead',
    rejectedBy: 'user:pm-1',
    rejectedAt: '2025-09-05T14:00:00.000Z',
  },
});

declare module '../registry/event-catalogue.types' {
  interface LatestEventDataByType {
    'pm.planning.LevellingProposalAccepted': LevellingProposalAcceptedV1;
    'pm.planning.LevellingProposalRejected': LevellingProposalRejectedV1;
  }
}
