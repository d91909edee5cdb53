import { z } from 'zod';
import { defineEventContract } from '../registry/event-contract';
import { isoDateSchema, uuidSchema } from '../shared/contract-primitives.schema';
import { EXAMPLE_PROJECT_ID } from './schedule-primitives.schema';

/**
 * The project's status date (set on the project stream, `ProjectStatusDateSet`) recorded on the schedule
 * stream, where the schedule reforecasts from it; the CPM results it moved follow in the same append.
 */
export const scheduleStatusDateSetV1Schema = z.strictObject({
  projectId: uuidSchema,
  statusDate: isoDateSchema.describe('The data date: no unstarted work before it, remaining work from it'),
});
export type ScheduleStatusDateSetV1 = z.output<typeof scheduleStatusDateSetV1Schema>;
export const scheduleStatusDateSetV1 = defineEventContract({
  context: 'planning',
  name: 'ScheduleStatusDateSet',
  version: 1,
  schema: scheduleStatusDateSetV1Schema,
  description: "The schedule adopted the project's status date as its data date and reforecast from it.",
  example: { projectId: EXAMPLE_PROJECT_ID, statusDate: '2025-10-31' },
});

declare module '../registry/event-catalogue.types' {
  interface LatestEventDataByType {
    'pm.planning.ScheduleStatusDateSet': ScheduleStatusDateSetV1;
  }
}
