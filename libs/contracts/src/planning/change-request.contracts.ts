import type { EventDataOf } from '../registry/event-contract';
import { z } from 'zod';
import { defineEventContract } from '../registry/event-contract';
import { isoDateSchema, isoDateTimeSchema, uuidSchema } from '../shared/contract-primitives.schema';
import { baselineNumberSchema, constraintTypeSchema, dependencyIdSchema, dependencyTypeSchema, taskIdSchema, taskKindSchema, taskNameSchema } from './schedule-primitives.schema';
import { registerUpcaster } from '../registry/contract.registry';

/** Events of the ChangeRequest aggregate (stream `change-request:<tenant>:<id>`). */

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

const days = z.number().finite().nonnegative().max(100_000);
const amount = z.number().finite().nonnegative().max(1e12);
const lag = z.number().finite().min(-10_000).max(10_000);
const change = <T extends string, S extends z.ZodRawShape>(type: T, data: S) => z.strictObject({ type: z.literal(type), data: z.strictObject(data) });

const proposedConstraintSchema = z.strictObject({ type: constraintTypeSchema, date: isoDateSchema.nullable().optional() });

/**
 * The plan changes a change request may propose, each shaped like the schedule command it stands for (without
 * projectId). Built from the id, name and (optionally) constraint schemas given, so the HTTP edge can apply its
 * stricter id pattern and rules to the very same shape the contract publishes.
 */
export function proposedScheduleChangeSchemaOf<C extends z.ZodType<z.output<typeof proposedConstraintSchema>> = typeof proposedConstraintSchema>(ids: {
  taskId: z.ZodString;
  dependencyId: z.ZodString;
  name: z.ZodString;
  constraint?: C;
}) {
  return z.discriminatedUnion('type', [
    change('AddTaskToWbs', {
      taskId: ids.taskId,
      name: ids.name,
      kind: taskKindSchema,
      parentId: ids.taskId.nullable().optional(),
      position: z.number().int().nonnegative().optional(),
      durationDays: days.optional(),
      workHours: amount.nullable().optional(),
      costBudget: amount.nullable().optional(),
    }),
    change('RenameTask', { taskId: ids.taskId, name: ids.name }),
    change('MoveTaskInWbs', { taskId: ids.taskId, parentId: ids.taskId.nullable(), position: z.number().int().nonnegative().optional() }),
    change('RemoveTaskFromWbs', { taskId: ids.taskId }),
    change('EstimateTaskDuration', { taskId: ids.taskId, durationDays: days }),
    change('EstimateTaskThreePoint', { taskId: ids.taskId, optimisticDays: days, mostLikelyDays: days, pessimisticDays: days }),
    change('PlanTaskWork', { taskId: ids.taskId, workHours: amount }),
    change('BudgetTaskCost', { taskId: ids.taskId, costBudget: amount }),
    change('ConstrainTask', { taskId: ids.taskId, constraint: ids.constraint ?? proposedConstraintSchema }),
    change('LinkDependency', {
      dependencyId: ids.dependencyId,
      predecessorId: ids.taskId,
      successorId: ids.taskId,
      dependencyType: dependencyTypeSchema.optional(),
      lagDays: lag.optional(),
    }),
    change('AdjustDependencyLag', { dependencyId: ids.dependencyId, lagDays: lag }),
    change('UnlinkDependency', { dependencyId: ids.dependencyId }),
  ]);
}

const proposedScheduleChangeSchema = proposedScheduleChangeSchemaOf({ taskId: taskIdSchema, dependencyId: dependencyIdSchema, name: taskNameSchema }).describe(
  'A schedule command the change request proposes, shaped as that command without projectId',
);

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

const raisedFields = {
  ...base,
  title: z.string().min(1),
  description: z.string().min(1),
  rebaselineAs: baselineNumberSchema.nullable(),
  raisedBy: z.string().min(1),
  raisedAt: isoDateTimeSchema,
};

/** v2: each proposed change is described by its command's shape, not "any record" (v1 stored only changes of these shapes). */
export const changeRequestRaisedV2 = defineEventContract({
  context: 'planning',
  name: 'ChangeRequestRaised',
  version: 2,
  schema: z.strictObject({ ...raisedFields, proposedChanges: z.array(proposedScheduleChangeSchema).min(1) }),
  description: 'A change to the plan was proposed: schedule and cost changes, optionally a new baseline once applied.',
  example: { ...ids, title: 'More testing', description: 'Two more days of regression tests', proposedChanges: [...changes], rebaselineAs: null, raisedBy: 'user:member-1', raisedAt: '2026-03-03T09:00:00.000Z' },
});
// Every v1 change was validated against the command shapes at the HTTP edge, so v2's schema accepts it unchanged.
registerUpcaster('pm.planning.ChangeRequestRaised', 1, (data: unknown) => data);

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

/** v2: the applied changes in their commands' shapes, as ChangeRequestRaised v2. */
export const changeRequestAppliedV2 = defineEventContract({
  context: 'planning',
  name: 'ChangeRequestApplied',
  version: 2,
  schema: z.strictObject({ ...base, appliedChanges: z.array(proposedScheduleChangeSchema), appliedBy: z.string().min(1), appliedAt: isoDateTimeSchema }),
  description: 'An approved change request was applied; the schedule events it caused are on the schedule stream.',
  example: { ...ids, appliedChanges: [...changes], appliedBy: 'user:pm-1', appliedAt: '2026-03-03T12:00:00.000Z' },
});
registerUpcaster('pm.planning.ChangeRequestApplied', 1, (data: unknown) => data);

export const newBaselineRequestedV1 = defineEventContract({
  context: 'planning',
  name: 'NewBaselineRequested',
  version: 1,
  schema: z.strictObject({ ...base, baselineNumber: baselineNumberSchema, requestedAt: isoDateTimeSchema }),
  description: 'Applying a change request asked for a new baseline; BaselineSaved follows on the schedule stream.',
  example: { ...ids, baselineNumber: 1, requestedAt: '2026-03-03T12:00:00.000Z' },
});

declare module '../registry/event-catalogue.types' {
  interface LatestEventDataByType {
    'pm.planning.ChangeRequestRaised': EventDataOf<typeof changeRequestRaisedV2>;
    'pm.planning.ChangeRequestAssessed': EventDataOf<typeof changeRequestAssessedV1>;
    'pm.planning.ChangeRequestApproved': EventDataOf<typeof changeRequestApprovedV1>;
    'pm.planning.ChangeRequestRejected': EventDataOf<typeof changeRequestRejectedV1>;
    'pm.planning.ChangeRequestWithdrawn': EventDataOf<typeof changeRequestWithdrawnV1>;
    'pm.planning.ChangeRequestApplied': EventDataOf<typeof changeRequestAppliedV2>;
    'pm.planning.NewBaselineRequested': EventDataOf<typeof newBaselineRequestedV1>;
  }
}
