import { z } from 'zod';
import { defineEventContract } from '../registry/event-contract';
import { isoDateTimeSchema, uuidSchema } from '../shared/contract-primitives.schema';
import { baselineNumberSchema } from './schedule-primitives.schema';

/** Events of the ChangeRequest aggregate (stream `change-request-<id>`). */

const PID = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const CRID = '0b6c3f1e-2d4a-4c8b-9e7f-1a2b3c4d5e6f';
const base = { changeRequestId: uuidSchema, projectId: uuidSchema };
const ids = { changeRequestId: CRID, projectId: PID };

const proposedChangeSchema = z
  .strictObject({
    type: z.enum([
      'AddTaskToWbs',
      'RenameTask',
      'MoveTaskInWbs',
      'RemoveTaskFromWbs',
      'EstimateTaskDuration',
      'EstimateTaskThreePoint',
      'PlanTaskWork',
      'BudgetTaskCost',
      'ConstrainTask',
      'LinkDependency',
      'AdjustDependencyLag',
      'UnlinkDependency',
    ]),
    data: z.record(z.string(), z.unknown()).describe('The data of the schedule command of that name, without projectId'),
  })
  .describe('A schedule command the change request proposes');

const changes = [
  { type: 'EstimateTaskDuration', data: { taskId: 'build', durationDays: 12 } },
  { type: 'BudgetTaskCost', data: { taskId: 'build', costBudget: 24000 } },
] as const;

export const changeRequestRaisedV1 = defineEventContract({
  context: 'planning',
  name: 'ChangeRequestRaised',
  version: 1,
  schema: z.strictObject({
    ...base,
    title: z.string().min(1),
    description: z.string().min(1),
    proposedChanges: z.array(proposedChangeSchema).min(1),
    rebaselineAs: baselineNumberSchema.nullable(),
    raisedBy: z.string().min(1),
    raisedAt: isoDateTimeSchema,
  }),
  description: 'A change to the plan was proposed: schedule and cost changes, optionally a new baseline once applied.',
  example: { ...ids, title: 'More testing', description: 'Two more days of regression tests', proposedChanges: changes.map((c) => ({ ...c, data: { ...c.data } })), rebaselineAs: null, raisedBy: 'user:member-1', raisedAt: '2026-03-03T09:00:00.000Z' },
});

export const changeRequestAssessedV1 = defineEventContract({
  context: 'planning',
  name: 'ChangeRequestAssessed',
  version: 1,
  schema: z.strictObject({
    ...base,
    impact: z.strictObject({
      scheduleImpactDays: z.number().describe('Working days the project finish moves (positive = later)'),
      costImpact: z.number().describe('Change of the budget at completion (positive = dearer)'),
      notes: z.string().nullable(),
    }),
    assessedBy: z.string().min(1),
    assessedAt: isoDateTimeSchema,
  }),
  description: 'The impact of a change request was computed (critical path with and without it) and recorded.',
  example: { ...ids, impact: { scheduleImpactDays: 2, costImpact: 4000, notes: null }, assessedBy: 'user:pm-1', assessedAt: '2026-03-03T10:00:00.000Z' },
});

export const changeRequestApprovedV1 = defineEventContract({
  context: 'planning',
  name: 'ChangeRequestApproved',
  version: 1,
  schema: z.strictObject({ ...base, approvedBy: z.string().min(1), approvedAs: z.enum(['pmo-admin', 'project-manager']), approvedAt: isoDateTimeSchema, comment: z.string().nullable() }),
  description: 'A change request was approved, under the authority named in approvedAs.',
  example: { ...ids, approvedBy: 'pm-1', approvedAs: 'project-manager', approvedAt: '2026-03-03T11:00:00.000Z', comment: null },
});

export const changeRequestRejectedV1 = defineEventContract({
  context: 'planning',
  name: 'ChangeRequestRejected',
  version: 1,
  schema: z.strictObject({ ...base, rejectedBy: z.string().min(1), rejectedAt: isoDateTimeSchema, reason: z.string().min(1) }),
  description: 'A change request was rejected.',
  example: { ...ids, rejectedBy: 'admin-1', rejectedAt: '2026-03-03T11:00:00.000Z', reason: 'Not in this release' },
});

export const changeRequestWithdrawnV1 = defineEventContract({
  context: 'planning',
  name: 'ChangeRequestWithdrawn',
  version: 1,
  schema: z.strictObject({ ...base, withdrawnBy: z.string().min(1), withdrawnAt: isoDateTimeSchema, reason: z.string().nullable() }),
  description: 'A pending change request was withdrawn by its requester or a pmo-admin.',
  example: { ...ids, withdrawnBy: 'member-1', withdrawnAt: '2026-03-03T11:00:00.000Z', reason: null },
});

export const changeRequestAppliedV1 = defineEventContract({
  context: 'planning',
  name: 'ChangeRequestApplied',
  version: 1,
  schema: z.strictObject({ ...base, appliedChanges: z.array(proposedChangeSchema), appliedBy: z.string().min(1), appliedAt: isoDateTimeSchema }),
  description: 'An approved change request was applied; the schedule events it caused are on the schedule stream.',
  example: { ...ids, appliedChanges: changes.map((c) => ({ ...c, data: { ...c.data } })), appliedBy: 'user:pm-1', appliedAt: '2026-03-03T12:00:00.000Z' },
});

export const newBaselineRequestedV1 = defineEventContract({
  context: 'planning',
  name: 'NewBaselineRequested',
  version: 1,
  schema: z.strictObject({ ...base, baselineNumber: baselineNumberSchema, requestedAt: isoDateTimeSchema }),
  description: 'Applying a change request asked for a new baseline; BaselineSaved follows on the schedule stream.',
  example: { ...ids, baselineNumber: 1, requestedAt: '2026-03-03T12:00:00.000Z' },
});
