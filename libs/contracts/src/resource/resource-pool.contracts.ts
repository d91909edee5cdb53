import { z } from 'zod';
import { defineEventContract } from '../registry/event-contract';
import { isoDateSchema, isoDateTimeSchema } from '../shared/contract-primitives.schema';
import { EXAMPLE_RESOURCE_ID, moneySchema, proficiencySchema, resourceCalendarSchema, resourceIdSchema, shortText } from './resource-primitives.schema';

/** The resource pool, published by resource-service on pm.resource.events (stream `resource-<id>`). */

export const personRegisteredV1Schema = z.strictObject({
  resourceId: resourceIdSchema,
  userId: z.string().min(1).nullable().describe("The person's login (token sub); null when they have none"),
  name: shortText(200),
  role: shortText(100),
  department: shortText(100),
  calendar: resourceCalendarSchema.nullable().describe("Null: the tenant's default calendar"),
  availabilityPercent: z.number().int().min(0).max(100),
  registeredAt: isoDateTimeSchema,
});
export type PersonRegisteredV1 = z.output<typeof personRegisteredV1Schema>;
export const personRegisteredV1 = defineEventContract({
  context: 'resource',
  name: 'PersonRegistered',
  version: 1,
  schema: personRegisteredV1Schema,
  description: 'A person joined the resource pool with a role, a department, a calendar and an availability.',
  example: {
    resourceId: EXAMPLE_RESOURCE_ID,
    userId: 'ada.lovelace',
    name: 'Ada Lovelace',
    role: 'Developer',
    department: 'IT Delivery',
    calendar: null,
    availabilityPercent: 80,
    registeredAt: '2025-07-14T09:30:00.000Z',
  },
});

export const genericResourceRegisteredV1Schema = z.strictObject({
  resourceId: resourceIdSchema,
  name: shortText(200),
  role: shortText(100),
  department: shortText(100).nullable(),
  registeredAt: isoDateTimeSchema,
});
export type GenericResourceRegisteredV1 = z.output<typeof genericResourceRegisteredV1Schema>;
export const genericResourceRegisteredV1 = defineEventContract({
  context: 'resource',
  name: 'GenericResourceRegistered',
  version: 1,
  schema: genericResourceRegisteredV1Schema,
  description: 'A role placeholder (e.g. "Java developer, TBD") to plan demand against before a person is named.',
  example: { resourceId: EXAMPLE_RESOURCE_ID, name: 'Java developer (TBD)', role: 'Developer', department: null, registeredAt: '2025-07-14T09:30:00.000Z' },
});

export const equipmentRegisteredV1Schema = z.strictObject({
  resourceId: resourceIdSchema,
  name: shortText(200),
  kind: z.enum(['equipment', 'material']),
  unit: shortText(20).nullable().describe('Unit material is consumed in, e.g. m, licence'),
  costPerUse: moneySchema.nullable(),
  costPerUnit: moneySchema.nullable(),
  registeredAt: isoDateTimeSchema,
});
export type EquipmentRegisteredV1 = z.output<typeof equipmentRegisteredV1Schema>;
export const equipmentRegisteredV1 = defineEventContract({
  context: 'resource',
  name: 'EquipmentRegistered',
  version: 1,
  schema: equipmentRegisteredV1Schema,
  description: 'Equipment (priced per use) or material (priced per unit) joined the pool.',
  example: {
    resourceId: EXAMPLE_RESOURCE_ID,
    name: 'Test lab rack',
    kind: 'equipment',
    unit: null,
    costPerUse: { amountMinor: 25000, currency: 'EUR' },
    costPerUnit: null,
    registeredAt: '2025-07-14T09:30:00.000Z',
  },
});

export const skillRecordedV1Schema = z.strictObject({
  resourceId: resourceIdSchema,
  skill: shortText(100).describe('Lower case'),
  level: proficiencySchema,
  recordedAt: isoDateTimeSchema,
});
export type SkillRecordedV1 = z.output<typeof skillRecordedV1Schema>;
export const skillRecordedV1 = defineEventContract({
  context: 'resource',
  name: 'SkillRecorded',
  version: 1,
  schema: skillRecordedV1Schema,
  description: 'A skill and its proficiency level were recorded for a person or role placeholder.',
  example: { resourceId: EXAMPLE_RESOURCE_ID, skill: 'java', level: 4, recordedAt: '2025-07-14T09:30:00.000Z' },
});

export const costRateScheduledV1Schema = z.strictObject({
  resourceId: resourceIdSchema,
  effectiveFrom: isoDateSchema,
  standardRate: moneySchema.describe('Per hour'),
  overtimeRate: moneySchema.describe('Per hour'),
  scheduledBy: z.string().min(1),
  scheduledAt: isoDateTimeSchema,
});
export type CostRateScheduledV1 = z.output<typeof costRateScheduledV1Schema>;
export const costRateScheduledV1 = defineEventContract({
  context: 'resource',
  name: 'CostRateScheduled',
  version: 1,
  schema: costRateScheduledV1Schema,
  description: 'A row of the rate table: the hourly rates in force from a date until the next row. Approved costs are never repriced.',
  example: {
    resourceId: EXAMPLE_RESOURCE_ID,
    effectiveFrom: '2025-09-01',
    standardRate: { amountMinor: 8550, currency: 'EUR' },
    overtimeRate: { amountMinor: 12825, currency: 'EUR' },
    scheduledBy: 'user:rm-1',
    scheduledAt: '2025-07-14T09:30:00.000Z',
  },
});

export const availabilitySetV1Schema = z.strictObject({
  resourceId: resourceIdSchema,
  availabilityPercent: z.number().int().min(0).max(100),
  previousPercent: z.number().int().min(0).max(100),
  setAt: isoDateTimeSchema,
});
export type AvailabilitySetV1 = z.output<typeof availabilitySetV1Schema>;
export const availabilitySetV1 = defineEventContract({
  context: 'resource',
  name: 'AvailabilitySet',
  version: 1,
  schema: availabilitySetV1Schema,
  description: "The share of each working day a person is available for project work changed.",
  example: { resourceId: EXAMPLE_RESOURCE_ID, availabilityPercent: 50, previousPercent: 80, setAt: '2025-07-14T09:30:00.000Z' },
});

export const leaveRecordedV1Schema = z
  .strictObject({ resourceId: resourceIdSchema, from: isoDateSchema, to: isoDateSchema, reason: shortText(200).nullable(), recordedAt: isoDateTimeSchema })
  .refine((l) => l.to >= l.from, { path: ['to'], message: 'leave must not end before it starts' });
export type LeaveRecordedV1 = z.output<typeof leaveRecordedV1Schema>;
export const leaveRecordedV1 = defineEventContract({
  context: 'resource',
  name: 'LeaveRecorded',
  version: 1,
  schema: leaveRecordedV1Schema,
  description: 'Dates (inclusive) a person does not work; their capacity is zero on them.',
  example: { resourceId: EXAMPLE_RESOURCE_ID, from: '2025-08-04', to: '2025-08-15', reason: 'Summer holiday', recordedAt: '2025-07-14T09:30:00.000Z' },
});

declare module '../registry/event-catalogue.types' {
  interface LatestEventDataByType {
    'pm.resource.PersonRegistered': PersonRegisteredV1;
    'pm.resource.GenericResourceRegistered': GenericResourceRegisteredV1;
    'pm.resource.EquipmentRegistered': EquipmentRegisteredV1;
    'pm.resource.SkillRecorded': SkillRecordedV1;
    'pm.resource.CostRateScheduled': CostRateScheduledV1;
    'pm.resource.AvailabilitySet': AvailabilitySetV1;
    'pm.resource.LeaveRecorded': LeaveRecordedV1;
  }
}
