import { z } from 'zod';
import { defineEventContract } from '../registry/event-contract';
import { isoDateSchema, isoDateTimeSchema, uuidSchema } from '../shared/contract-primitives.schema';
import { EXAMPLE_PROJECT_ID, EXAMPLE_RESOURCE_ID, planningTaskIdSchema, resourceIdSchema } from './resource-primitives.schema';

/** Levelling proposals (stream `levelling-<proposalId>`): computed and published here, applied by planning. */

export const levellingProposedV1Schema = z.strictObject({
  proposalId: uuidSchema,
  projectId: uuidSchema.nullable().describe('Null for a portfolio-wide proposal'),
  moves: z.array(
    z.strictObject({
      projectId: uuidSchema,
      taskId: planningTaskIdSchema,
      fromStart: isoDateSchema,
      toStart: isoDateSchema,
      toFinish: isoDateSchema,
      delayDays: z.number().int().positive().describe('Working days'),
      withinFloat: z.boolean().describe('True when the delay fits the task’s total float'),
    }),
  ),
  finishBefore: isoDateSchema.nullable(),
  finishAfter: isoDateSchema.nullable().describe('Latest finish of the levelled tasks'),
  unresolved: z.array(
    z.strictObject({
      projectId: uuidSchema,
      taskId: planningTaskIdSchema,
      resourceId: resourceIdSchema,
      from: isoDateSchema,
      to: isoDateSchema,
      reason: z.enum(['demand-exceeds-capacity-every-day', 'no-slot-within-max-delay']),
    }),
  ),
  proposedBy: z.string().min(1),
  proposedAt: isoDateTimeSchema,
});
export type LevellingProposedV1 = z.output<typeof levellingProposedV1Schema>;
export const levellingProposedV1 = defineEventContract({
  context: 'resource',
  name: 'LevellingProposed',
  version: 1,
  schema: levellingProposedV1Schema,
  description:
    'A resource-levelling proposal: which tasks to delay (non-critical work within its float first, then by priority, never breaking a dependency), ' +
    'the resulting finish, and the conflicts it could not resolve. Planning applies the moves when a project manager accepts it.',
  example: {
    proposalId: '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a',
    projectId: EXAMPLE_PROJECT_ID,
    moves: [{ projectId: EXAMPLE_PROJECT_ID, taskId: 'test', fromStart: '2025-09-08', toStart: '2025-09-15', toFinish: '2025-09-17', delayDays: 5, withinFloat: true }],
    finishBefore: '2025-09-23',
    finishAfter: '2025-09-23',
    unresolved: [{ projectId: EXAMPLE_PROJECT_ID, taskId: 'build', resourceId: EXAMPLE_RESOURCE_ID, from: '2025-09-08', to: '2025-09-19', reason: 'demand-exceeds-capacity-every-day' }],
    proposedBy: 'user:pm-1',
    proposedAt: '2025-09-05T10:00:00.000Z',
  },
});

declare module '../registry/event-catalogue.types' {
  interface LatestEventDataByType {
    'pm.resource.LevellingProposed': LevellingProposedV1;
  }
}
