import { z } from 'zod';
import { defineEventContract } from '../registry/event-contract';
import { uuidSchema } from '../shared/contract-primitives.schema';
import {
  EXAMPLE_PROJECT_ID,
  amountSchema,
  dependencyIdSchema,
  dependencyTypeSchema,
  taskConstraintSchema,
  taskIdSchema,
  workingDaysSchema,
} from './schedule-primitives.schema';

/** Events of the Schedule aggregate: estimates, constraints and the dependency network. */

export const taskDurationEstimatedV1Schema = z.strictObject({ projectId: uuidSchema, taskId: taskIdSchema, durationDays: workingDaysSchema });
export type TaskDurationEstimatedV1 = z.output<typeof taskDurationEstimatedV1Schema>;
export const taskDurationEstimatedV1 = defineEventContract({
  context: 'planning',
  name: 'TaskDurationEstimated',
  version: 1,
  schema: taskDurationEstimatedV1Schema,
  description: 'A work package got a new duration estimate in working days (0 only for milestones).',
  example: { projectId: EXAMPLE_PROJECT_ID, taskId: 'build', durationDays: 12 },
});

export const taskThreePointEstimatedV1Schema = z.strictObject({
  projectId: uuidSchema,
  taskId: taskIdSchema,
  optimisticDays: workingDaysSchema,
  mostLikelyDays: workingDaysSchema,
  pessimisticDays: workingDaysSchema,
  expectedDays: workingDaysSchema.describe('PERT mean (o + 4m + p) / 6'),
  standardDeviationDays: workingDaysSchema.describe('PERT (p − o) / 6'),
});
export type TaskThreePointEstimatedV1 = z.output<typeof taskThreePointEstimatedV1Schema>;
export const taskThreePointEstimatedV1 = defineEventContract({
  context: 'planning',
  name: 'TaskThreePointEstimated',
  version: 1,
  schema: taskThreePointEstimatedV1Schema,
  description: 'A three-point (PERT) estimate was recorded for a work package, for schedule-risk analysis.',
  example: {
    projectId: EXAMPLE_PROJECT_ID,
    taskId: 'build',
    optimisticDays: 8,
    mostLikelyDays: 10,
    pessimisticDays: 18,
    expectedDays: 11,
    standardDeviationDays: 1.6666666666666667,
  },
});

export const taskWorkPlannedV1Schema = z.strictObject({ projectId: uuidSchema, taskId: taskIdSchema, workHours: amountSchema });
export type TaskWorkPlannedV1 = z.output<typeof taskWorkPlannedV1Schema>;
export const taskWorkPlannedV1 = defineEventContract({
  context: 'planning',
  name: 'TaskWorkPlanned',
  version: 1,
  schema: taskWorkPlannedV1Schema,
  description: 'The planned effort of a work package, in hours.',
  example: { projectId: EXAMPLE_PROJECT_ID, taskId: 'build', workHours: 200 },
});

export const taskCostBudgetedV1Schema = z.strictObject({ projectId: uuidSchema, taskId: taskIdSchema, costBudget: amountSchema });
export type TaskCostBudgetedV1 = z.output<typeof taskCostBudgetedV1Schema>;
export const taskCostBudgetedV1 = defineEventContract({
  context: 'planning',
  name: 'TaskCostBudgeted',
  version: 1,
  schema: taskCostBudgetedV1Schema,
  description: "A work package's cost budget, in the project's currency; the basis of planned value.",
  example: { projectId: EXAMPLE_PROJECT_ID, taskId: 'build', costBudget: 15000 },
});

export const taskConstrainedV1Schema = z.strictObject({ projectId: uuidSchema, taskId: taskIdSchema, constraint: taskConstraintSchema });
export type TaskConstrainedV1 = z.output<typeof taskConstrainedV1Schema>;
export const taskConstrainedV1 = defineEventContract({
  context: 'planning',
  name: 'TaskConstrained',
  version: 1,
  schema: taskConstrainedV1Schema,
  description: 'A date constraint was put on a work package (ASAP and ALAP carry no date).',
  example: { projectId: EXAMPLE_PROJECT_ID, taskId: 'build', constraint: { type: 'SNET', date: '2025-09-15' } },
});

export const dependencyLinkedV1Schema = z.strictObject({
  projectId: uuidSchema,
  dependencyId: dependencyIdSchema,
  predecessorId: taskIdSchema,
  successorId: taskIdSchema,
  dependencyType: dependencyTypeSchema,
  lagDays: z.number().describe('Working days; negative is a lead'),
});
export type DependencyLinkedV1 = z.output<typeof dependencyLinkedV1Schema>;
export const dependencyLinkedV1 = defineEventContract({
  context: 'planning',
  name: 'DependencyLinked',
  version: 1,
  schema: dependencyLinkedV1Schema,
  description: 'Two work packages were linked (FS, SS, FF or SF, with lag or lead); the link closes no cycle.',
  example: { projectId: EXAMPLE_PROJECT_ID, dependencyId: 'design->build', predecessorId: 'design', successorId: 'build', dependencyType: 'FS', lagDays: 0 },
});

export const dependencyLagAdjustedV1Schema = z.strictObject({ projectId: uuidSchema, dependencyId: dependencyIdSchema, lagDays: z.number() });
export type DependencyLagAdjustedV1 = z.output<typeof dependencyLagAdjustedV1Schema>;
export const dependencyLagAdjustedV1 = defineEventContract({
  context: 'planning',
  name: 'DependencyLagAdjusted',
  version: 1,
  schema: dependencyLagAdjustedV1Schema,
  description: 'The lag (or lead, when negative) of a dependency changed, in working days.',
  example: { projectId: EXAMPLE_PROJECT_ID, dependencyId: 'design->build', lagDays: 2 },
});

export const dependencyUnlinkedV1Schema = z.strictObject({
  projectId: uuidSchema,
  dependencyId: dependencyIdSchema,
  predecessorId: taskIdSchema,
  successorId: taskIdSchema,
});
export type DependencyUnlinkedV1 = z.output<typeof dependencyUnlinkedV1Schema>;
export const dependencyUnlinkedV1 = defineEventContract({
  context: 'planning',
  name: 'DependencyUnlinked',
  version: 1,
  schema: dependencyUnlinkedV1Schema,
  description: 'A dependency was removed; its id is retired.',
  example: { projectId: EXAMPLE_PROJECT_ID, dependencyId: 'design->build', predecessorId: 'design', successorId: 'build' },
});

declare module '../registry/event-catalogue.types' {
  interface LatestEventDataByType {
    'pm.planning.TaskDurationEstimated': TaskDurationEstimatedV1;
    'pm.planning.TaskThreePointEstimated': TaskThreePointEstimatedV1;
    'pm.planning.TaskWorkPlanned': TaskWorkPlannedV1;
    'pm.planning.TaskCostBudgeted': TaskCostBudgetedV1;
    'pm.planning.TaskConstrained': TaskConstrainedV1;
    'pm.planning.DependencyLinked': DependencyLinkedV1;
    'pm.planning.DependencyLagAdjusted': DependencyLagAdjustedV1;
    'pm.planning.DependencyUnlinked': DependencyUnlinkedV1;
  }
}
