import { z } from 'zod';
import { defineEventContract } from '../registry/event-contract';
import { isoDateSchema, uuidSchema } from '../shared/contract-primitives.schema';
import { EXAMPLE_PROJECT_ID, taskIdSchema, taskKindSchema, taskNameSchema, wholeWorkingDaysSchema } from './schedule-primitives.schema';

/**
 * What the critical-path engine computed, published so that no other service ever runs it.
 * planning-service recalculates after every schedule change and publishes only the tasks that moved.
 */

export const taskScheduleChangedV1Schema = z
  .strictObject({
    projectId: uuidSchema,
    taskId: taskIdSchema,
    name: taskNameSchema,
    kind: taskKindSchema.exclude(['summary']).describe('Only work packages are scheduled; summaries roll up'),
    start: isoDateSchema.describe('First working day of the task: the actual start once started, else the early start'),
    finish: isoDateSchema.describe('Last working day of the task (inclusive); a milestone has start = finish'),
    durationDays: z.number().int().nonnegative().describe('Working days from start to finish; 0 for a milestone'),
    earlyStart: isoDateSchema,
    earlyFinish: isoDateSchema,
    lateStart: isoDateSchema,
    lateFinish: isoDateSchema,
    totalFloat: wholeWorkingDaysSchema.describe('Working days; negative when a constraint cannot be met'),
    freeFloat: z.number().int().nonnegative().describe('Working days'),
    critical: z.boolean(),
    status: z.enum(['not-started', 'in-progress', 'completed']),
    previousStart: isoDateSchema.nullable().describe('Null the first time the task is scheduled'),
    previousFinish: isoDateSchema.nullable().describe('Null the first time the task is scheduled'),
  })
  .refine((t) => t.finish >= t.start, { path: ['finish'], message: 'finish must not be before start' });

export type TaskScheduleChangedV1 = z.output<typeof taskScheduleChangedV1Schema>;

export const taskScheduleChangedV1 = defineEventContract({
  context: 'planning',
  name: 'TaskScheduleChanged',
  version: 1,
  schema: taskScheduleChangedV1Schema,
  description:
    'The critical-path calculation moved a task: its dates, floats or criticality differ from the last calculation. ' +
    'Published only for tasks that moved, after the schedule change that moved them.',
  example: {
    projectId: EXAMPLE_PROJECT_ID,
    taskId: 'build',
    name: 'Build the integration layer',
    kind: 'task',
    start: '2025-09-08',
    finish: '2025-09-19',
    durationDays: 10,
    earlyStart: '2025-09-08',
    earlyFinish: '2025-09-19',
    lateStart: '2025-09-10',
    lateFinish: '2025-09-23',
    totalFloat: 2,
    freeFloat: 0,
    critical: false,
    status: 'not-started',
    previousStart: '2025-09-01',
    previousFinish: '2025-09-12',
  },
});

export const taskUnscheduledV1Schema = z.strictObject({
  projectId: uuidSchema,
  taskId: taskIdSchema,
});

export type TaskUnscheduledV1 = z.output<typeof taskUnscheduledV1Schema>;

export const taskUnscheduledV1 = defineEventContract({
  context: 'planning',
  name: 'TaskUnscheduled',
  version: 1,
  schema: taskUnscheduledV1Schema,
  description: 'A task that had been scheduled is no longer in the calculated schedule (it was removed from the WBS).',
  example: { projectId: EXAMPLE_PROJECT_ID, taskId: 'build' },
});

export const projectScheduleCalculatedV1Schema = z
  .strictObject({
    projectId: uuidSchema,
    projectStart: isoDateSchema,
    projectFinish: isoDateSchema.describe('The latest early finish'),
    durationDays: z.number().int().nonnegative().describe('Working days from the project start to its finish'),
    statusDate: isoDateSchema.nullable().describe('The data date progress was reported up to, if any'),
    taskCount: z.number().int().nonnegative().describe('Work packages scheduled'),
    tasksChanged: z.number().int().nonnegative().describe('How many TaskScheduleChanged events this calculation published'),
    criticalPath: z.array(taskIdSchema).describe('The first critical path, from start to finish'),
    criticalPaths: z
      .array(z.array(taskIdSchema))
      .describe('The critical paths in a canonical order, cut at 100 paths and at 150,000 characters of task ids in all (a very long first path is cut too), so the event fits one message'),
    criticalPathsTruncated: z.boolean().describe('True when paths (or part of the first) were left out; every critical task still carries critical: true in its TaskScheduleChanged'),
  })
  .refine((p) => p.projectFinish >= p.projectStart, { path: ['projectFinish'], message: 'projectFinish must not be before projectStart' });

export type ProjectScheduleCalculatedV1 = z.output<typeof projectScheduleCalculatedV1Schema>;

export const projectScheduleCalculatedV1 = defineEventContract({
  context: 'planning',
  name: 'ProjectScheduleCalculated',
  version: 1,
  schema: projectScheduleCalculatedV1Schema,
  description: 'The critical-path calculation ran after a schedule change: project start and finish and the critical path(s).',
  example: {
    projectId: EXAMPLE_PROJECT_ID,
    projectStart: '2025-09-01',
    projectFinish: '2025-09-23',
    durationDays: 17,
    statusDate: null,
    taskCount: 3,
    tasksChanged: 2,
    criticalPath: ['design', 'test', 'go-live'],
    criticalPaths: [['design', 'test', 'go-live']],
    criticalPathsTruncated: false,
  },
});

declare module '../registry/event-catalogue.types' {
  interface LatestEventDataByType {
    'pm.planning.TaskScheduleChanged': TaskScheduleChangedV1;
    'pm.planning.TaskUnscheduled': TaskUnscheduledV1;
    'pm.planning.ProjectScheduleCalculated': ProjectScheduleCalculatedV1;
  }
}
