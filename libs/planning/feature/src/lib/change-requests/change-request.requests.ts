import { z } from 'zod';
import { constraintRequestSchema, entityIdSchema } from '../schedule/schedule.requests';

const days = z.number().finite().nonnegative().max(100_000);
const amount = z.number().finite().nonnegative().max(1e12);
const change = <T extends string, S extends z.ZodRawShape>(type: T, data: S) => z.strictObject({ type: z.literal(type), data: z.strictObject(data) });

/** The plan changes a change request may propose, each shaped like the schedule command it stands for. */
export const proposedChangeSchema = z.discriminatedUnion('type', [
  change('AddTaskToWbs', {
    taskId: entityIdSchema,
    name: z.string().trim().min(1).max(255),
    kind: z.enum(['summary', 'task', 'milestone']),
    parentId: entityIdSchema.nullable().optional(),
    position: z.number().int().nonnegative().optional(),
    durationDays: days.optional(),
    workHours: amount.nullable().optional(),
    costBudget: amount.nullable().optional(),
  }),
  change('RenameTask', { taskId: entityIdSchema, name: z.string().trim().min(1).max(255) }),
  change('MoveTaskInWbs', { taskId: entityIdSchema, parentId: entityIdSchema.nullable(), position: z.number().int().nonnegative().optional() }),
  change('RemoveTaskFromWbs', { taskId: entityIdSchema }),
  change('EstimateTaskDuration', { taskId: entityIdSchema, durationDays: days }),
  change('EstimateTaskThreePoint', { taskId: entityIdSchema, optimisticDays: days, mostLikelyDays: days, pessimisticDays: days }),
  change('PlanTaskWork', { taskId: entityIdSchema, workHours: amount }),
  change('BudgetTaskCost', { taskId: entityIdSchema, costBudget: amount }),
  change('ConstrainTask', { taskId: entityIdSchema, constraint: constraintRequestSchema }),
  change('LinkDependency', {
    dependencyId: entityIdSchema,
    predecessorId: entityIdSchema,
    successorId: entityIdSchema,
    dependencyType: z.enum(['FS', 'SS', 'FF', 'SF']).optional(),
    lagDays: z.number().finite().min(-10_000).max(10_000).optional(),
  }),
  change('AdjustDependencyLag', { dependencyId: entityIdSchema, lagDays: z.number().finite().min(-10_000).max(10_000) }),
  change('UnlinkDependency', { dependencyId: entityIdSchema }),
]);

export const raiseChangeRequestSchema = z.strictObject({
  changeRequestId: z.uuid().optional(),
  title: z.string().trim().min(1).max(200),
  description: z.string().trim().min(1).max(10_000),
  proposedChanges: z.array(proposedChangeSchema).min(1).max(500),
  rebaselineAs: z.number().int().min(0).max(10).nullable().optional(),
});
export type RaiseChangeRequestBody = z.output<typeof raiseChangeRequestSchema>;

export const assessChangeRequestSchema = z.strictObject({ notes: z.string().trim().max(4000).nullable().optional() }).default({});
export const approveChangeRequestSchema = z.strictObject({ comment: z.string().trim().max(4000).nullable().optional() }).default({});
export const rejectChangeRequestSchema = z.strictObject({ reason: z.string().trim().min(1).max(4000) });
export const withdrawChangeRequestSchema = z.strictObject({ reason: z.string().trim().max(4000).nullable().optional() }).default({});
export const emptyBodySchema = z.strictObject({}).default({});
