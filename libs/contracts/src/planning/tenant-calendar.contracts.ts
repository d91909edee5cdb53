import { z } from 'zod';
import { defineEventContract } from '../registry/event-contract';
import { isoDateTimeSchema } from '../shared/contract-primitives.schema';
import { STANDARD_CALENDAR_EXAMPLE, projectCalendarSchema } from './schedule-primitives.schema';

/**
 * The tenant's default working calendar (stream `tenant-calendar-<tenantId>`; the tenant is the envelope's
 * `tenantid`). Schedules opened without their own calendar run on it and follow its later changes, each
 * with a `WorkingCalendarDefined` of calendar id `tenant-default` on its own stream (ADR 0104).
 */
export const defaultCalendarSetV1Schema = z.strictObject({
  calendar: projectCalendarSchema.describe('calendarId is always `tenant-default`'),
  setBy: z.string().min(1),
  setAt: isoDateTimeSchema,
});
export type DefaultCalendarSetV1 = z.output<typeof defaultCalendarSetV1Schema>;
export const defaultCalendarSetV1 = defineEventContract({
  context: 'planning',
  name: 'DefaultCalendarSet',
  version: 1,
  schema: defaultCalendarSetV1Schema,
  description: "A pmo-admin set the tenant's default working calendar; schedules without their own calendar move onto it.",
  example: {
    calendar: { ...STANDARD_CALENDAR_EXAMPLE, calendarId: 'tenant-default', name: 'Northwind standard' },
    setBy: 'user:pmo-1',
    setAt: '2025-07-14T09:30:00.000Z',
  },
});

declare module '../registry/event-catalogue.types' {
  interface LatestEventDataByType {
    'pm.planning.DefaultCalendarSet': DefaultCalendarSetV1;
  }
}
