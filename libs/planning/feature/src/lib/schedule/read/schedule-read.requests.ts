import { z } from 'zod';
import { SCHEDULE_TASK_FIELDS } from '@pm/planning/data-access';

/** At most this many tasks per page; a Gantt shows a screenful, an export reads pages in a loop. */
export const MAX_SCHEDULE_PAGE = 5000;

/**
 * GET /projects/:id/schedule. Without `limit` and `after` the whole schedule comes back as it always did. The
 * query object is strict (an unknown or repeated parameter is a 400) and every value is bounded: no client value
 * indexes an object or drives an unbounded loop.
 */
export const scheduleQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(MAX_SCHEDULE_PAGE).optional().describe(`Tasks per page (1–${MAX_SCHEDULE_PAGE}), in WBS order`),
  after: z
    .string()
    .regex(/^[1-9][0-9]{0,8}(\.[1-9][0-9]{0,8}){0,99}$/, 'a WBS code such as 1.2.3')
    .optional()
    .describe('The WBS code of the last task of the previous page (`page.next` of the previous answer)'),
  fields: z
    .string()
    .max(1000)
    .transform((s) => s.split(','))
    .pipe(z.array(z.enum(SCHEDULE_TASK_FIELDS, { error: `each field is one of ${SCHEDULE_TASK_FIELDS.join(', ')}` })).max(SCHEDULE_TASK_FIELDS.length))
    .optional()
    .describe(`Comma-separated task columns (taskId always comes): ${SCHEDULE_TASK_FIELDS.join(', ')}`),
});
export type ScheduleQuery = z.output<typeof scheduleQuerySchema>;
