import { z } from 'zod';
import { defineEventContract } from '../registry/event-contract';
import { isoDateTimeSchema, uuidSchema } from '../shared/contract-primitives.schema';
import { levellingProposalAcceptedV1Schema, levellingProposalRejectedV1Schema } from './levelling-decision.contracts';
import { projectScheduleCalculatedV1Schema, taskScheduleChangedV1Schema, taskUnscheduledV1Schema } from './schedule-calculation.contracts';
import {
  dependencyLagAdjustedV1Schema,
  dependencyLinkedV1Schema,
  dependencyUnlinkedV1Schema,
  taskConstrainedV1Schema,
  taskCostBudgetedV1Schema,
  taskDurationEstimatedV1Schema,
  taskThreePointEstimatedV1Schema,
  taskWorkPlannedV1Schema,
} from './schedule-estimates.contracts';
import { EXAMPLE_PROJECT_ID } from './schedule-primitives.schema';
import {
  baselineClearedV1Schema,
  baselineExtendedV1Schema,
  baselineSavedV1Schema,
  taskActualCostRecordedV1Schema,
  taskFinishedV1Schema,
  taskProgressRecordedV1Schema,
  taskStartedV1Schema,
} from './schedule-progress.contracts';
import { scheduleStatusDateSetV1Schema } from './schedule-status-date.contracts';
import {
  calendarExceptionRecordedV1Schema,
  holidayDeclaredV1Schema,
  projectStartRescheduledV1Schema,
  scheduleOpenedV1Schema,
  taskAddedToWbsV1Schema,
  taskMovedInWbsV1Schema,
  taskRemovedFromWbsV1Schema,
  taskRenamedV1Schema,
  workingCalendarDefinedV1Schema,
} from './schedule-wbs.contracts';

/**
 * A large change to a schedule (a Microsoft Project import) is staged and then committed (ADR 0009): its events are
 * written in chunks to a staging stream `schedule-import:<tenant>:<importId>`, each chunk its own short transaction
 * and its own Kafka message under the broker's size limit, and the schedule changes only when `ScheduleImported`
 * is appended to the schedule stream, naming the staging stream. Until then nothing is visible: readers and
 * consumers ignore chunks whose import has not been committed, and an import that crashed half way leaves only
 * chunks nobody applies.
 */

const staged = <T extends string, S extends z.ZodType>(type: T, data: S) => z.strictObject({ type: z.literal(type), data });

/** Every event a schedule stream can hold, as a staged chunk carries them (each its own contract's latest version). */
export const stagedScheduleEventSchema = z.discriminatedUnion('type', [
  staged('ScheduleOpened', scheduleOpenedV1Schema),
  staged('ProjectStartRescheduled', projectStartRescheduledV1Schema),
  staged('WorkingCalendarDefined', workingCalendarDefinedV1Schema),
  staged('HolidayDeclared', holidayDeclaredV1Schema),
  staged('CalendarExceptionRecorded', calendarExceptionRecordedV1Schema),
  staged('TaskAddedToWbs', taskAddedToWbsV1Schema),
  staged('TaskRenamed', taskRenamedV1Schema),
  staged('TaskMovedInWbs', taskMovedInWbsV1Schema),
  staged('TaskRemovedFromWbs', taskRemovedFromWbsV1Schema),
  staged('TaskDurationEstimated', taskDurationEstimatedV1Schema),
  staged('TaskThreePointEstimated', taskThreePointEstimatedV1Schema),
  staged('TaskWorkPlanned', taskWorkPlannedV1Schema),
  staged('TaskCostBudgeted', taskCostBudgetedV1Schema),
  staged('TaskConstrained', taskConstrainedV1Schema),
  staged('DependencyLinked', dependencyLinkedV1Schema),
  staged('DependencyLagAdjusted', dependencyLagAdjustedV1Schema),
  staged('DependencyUnlinked', dependencyUnlinkedV1Schema),
  staged('TaskStarted', taskStartedV1Schema),
  staged('TaskProgressRecorded', taskProgressRecordedV1Schema),
  staged('TaskFinished', taskFinishedV1Schema),
  staged('TaskActualCostRecorded', taskActualCostRecordedV1Schema),
  staged('ScheduleStatusDateSet', scheduleStatusDateSetV1Schema),
  staged('BaselineSaved', baselineSavedV1Schema),
  staged('BaselineExtended', baselineExtendedV1Schema),
  staged('BaselineCleared', baselineClearedV1Schema),
  staged('LevellingProposalAccepted', levellingProposalAcceptedV1Schema),
  staged('LevellingProposalRejected', levellingProposalRejectedV1Schema),
  staged('TaskScheduleChanged', taskScheduleChangedV1Schema),
  staged('TaskUnscheduled', taskUnscheduledV1Schema),
  staged('ProjectScheduleCalculated', projectScheduleCalculatedV1Schema),
]);

export const EXAMPLE_IMPORT_ID = '3f2b8c1d-6e4a-4b9f-8c2d-1a0e5f7b9c3d';

export const scheduleImportStagedV1Schema = z.strictObject({
  projectId: uuidSchema,
  importId: uuidSchema,
  chunk: z.number().int().nonnegative().describe('0, 1, 2…: apply in this order'),
  events: z.array(stagedScheduleEventSchema).min(1).describe('Schedule events, in order, as if appended to the schedule stream'),
});
export type ScheduleImportStagedV1 = z.output<typeof scheduleImportStagedV1Schema>;
export const scheduleImportStagedV1 = defineEventContract({
  context: 'planning',
  name: 'ScheduleImportStaged',
  version: 1,
  schema: scheduleImportStagedV1Schema,
  description:
    'One chunk of a staged schedule change (an import), stored on the staging stream `schedule-import:<tenant>:<importId>`. Published only once the change is committed: the chunks of an import arrive in chunk order right before the `ScheduleImported` that commits them, in the same partition (Kafka key and `stagedfor` = the schedule stream, `stagedversion` = the version of that `ScheduleImported`), so a consumer applies each on arrival; chunks of an import never committed are never published. Each entry of `events` is version 1 of the contract of its type (pm.planning.<type>) and belongs to stream `stagedfor` at version `stagedversion`.',
  example: {
    projectId: EXAMPLE_PROJECT_ID,
    importId: EXAMPLE_IMPORT_ID,
    chunk: 0,
    events: [{ type: 'TaskAddedToWbs', data: { projectId: EXAMPLE_PROJECT_ID, taskId: 't1', name: 'Design', kind: 'task', parentId: null, position: 0, durationDays: 5, workHours: 40, costBudget: 4000 } }],
  },
});

export const scheduleImportedV1Schema = z.strictObject({
  projectId: uuidSchema,
  importId: uuidSchema,
  stagingStreamId: z.string().min(1).describe('The staging stream whose chunks this commits'),
  chunks: z.number().int().positive(),
  events: z.number().int().positive().describe('Schedule events in the chunks, all of which this commits'),
  tasks: z.number().int().nonnegative(),
  links: z.number().int().nonnegative(),
  warnings: z.array(z.string().max(500)).max(100).describe('What the import skipped and why (the first 100)'),
  warningCount: z.number().int().nonnegative(),
  importedAt: isoDateTimeSchema,
});
export type ScheduleImportedV1 = z.output<typeof scheduleImportedV1Schema>;
export const scheduleImportedV1 = defineEventContract({
  context: 'planning',
  name: 'ScheduleImported',
  version: 1,
  schema: scheduleImportedV1Schema,
  description:
    'A staged schedule change (a Microsoft Project import) is committed: the schedule now holds every event of the chunks on `stagingStreamId`, in chunk order. Its `chunks` ScheduleImportStaged messages arrive right before it in the same partition (see ScheduleImportStaged); a consumer that applied them on arrival has nothing more to do, and a consumer that reads from the middle of the topic may meet this without its chunks only if it started between them.',
  example: {
    projectId: EXAMPLE_PROJECT_ID,
    importId: EXAMPLE_IMPORT_ID,
    stagingStreamId: `schedule-import:tenant-northwind:${EXAMPLE_IMPORT_ID}`,
    chunks: 3,
    events: 5012,
    tasks: 2000,
    links: 2900,
    warnings: ['link 17 → 12: DEPENDENCY_CYCLE'],
    warningCount: 1,
    importedAt: '2026-03-03T09:00:00.000Z',
  },
});

declare module '../registry/event-catalogue.types' {
  interface LatestEventDataByType {
    'pm.planning.ScheduleImportStaged': ScheduleImportStagedV1;
    'pm.planning.ScheduleImported': ScheduleImportedV1;
  }
}
