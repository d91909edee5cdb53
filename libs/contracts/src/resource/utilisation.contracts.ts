import { z } from 'zod';
import { defineEventContract } from '../registry/event-contract';
import { isoDateSchema, isoDateTimeSchema } from '../shared/contract-primitives.schema';
import { EXAMPLE_RESOURCE_ID, resourceIdSchema, resourceKindSchema, shortText } from './resource-primitives.schema';

/**
 * A resource's weekly utilisation for reporting (stream `utilisation:<tenant>:<resourceId>`, ADR 0502): the figures the
 * resource service wrote to its utilisation read model, published only for the weeks whose figures moved.
 */

/** Weeks (changed plus dropped) one event names at most; a larger change is several events of the same decision. */
export const UTILISATION_WEEKS_PER_EVENT = 260;
/** A week has 10,080 minutes; demand may exceed capacity (that is over-allocation), but not absurdly. */
const MAX_WEEK_DEMAND_MINUTES = 1_000_000;

const weekStartSchema = isoDateSchema.describe('Monday of the ISO week');
const weekFiguresSchema = z.strictObject({
  weekStart: weekStartSchema,
  capacityMinutes: z.number().int().min(0).max(10_080).describe('Working minutes the resource offers that week (calendar, availability, leave)'),
  demandMinutes: z.number().int().min(0).max(MAX_WEEK_DEMAND_MINUTES).describe('Minutes its scheduled assignments ask for that week'),
});

export const resourceUtilisationChangedV1Schema = z
  .strictObject({
    resourceId: resourceIdSchema,
    name: shortText(200),
    kind: resourceKindSchema,
    role: shortText(100).nullable(),
    department: shortText(100).nullable(),
    weeks: z.array(weekFiguresSchema).max(UTILISATION_WEEKS_PER_EVENT).describe('Weeks whose figures are new or moved, with their new figures'),
    droppedWeeks: z
      .array(weekStartSchema)
      .max(UTILISATION_WEEKS_PER_EVENT)
      .describe('Weeks no longer in the resource’s utilisation range (the plan horizon shrank, demand moved away, the resource left the pool)'),
    calculatedAt: isoDateTimeSchema,
  })
  .refine((d) => d.weeks.length + d.droppedWeeks.length <= UTILISATION_WEEKS_PER_EVENT, { path: ['weeks'], message: `at most ${UTILISATION_WEEKS_PER_EVENT} weeks per event` });
export type ResourceUtilisationChangedV1 = z.output<typeof resourceUtilisationChangedV1Schema>;
export const resourceUtilisationChangedV1 = defineEventContract({
  context: 'resource',
  name: 'ResourceUtilisationChanged',
  version: 1,
  schema: resourceUtilisationChangedV1Schema,
  description:
    'A resource’s weekly capacity or demand moved (or its name, role or department): the new figures of the weeks that moved and the weeks that left ' +
    'its utilisation range, as the resource service computed them. A subscriber keeps one row per resource and week and replaces it.',
  example: {
    resourceId: EXAMPLE_RESOURCE_ID,
    name: 'Ada Lovelace',
    kind: 'person',
    role: 'Developer',
    department: 'IT Delivery',
    weeks: [
      { weekStart: '2025-09-08', capacityMinutes: 2400, demandMinutes: 2880 },
      { weekStart: '2025-09-15', capacityMinutes: 2400, demandMinutes: 1200 },
    ],
    droppedWeeks: ['2025-12-29'],
    calculatedAt: '2025-09-05T10:00:00.000Z',
  },
});

declare module '../registry/event-catalogue.types' {
  interface LatestEventDataByType {
    'pm.resource.ResourceUtilisationChanged': ResourceUtilisationChangedV1;
  }
}
