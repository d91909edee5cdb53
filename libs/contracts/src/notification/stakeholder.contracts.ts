import { z } from 'zod';
import { defineEventContract } from '../registry/event-contract';
import { isoDateTimeSchema, trimmedText } from '../shared/contract-primitives.schema';
import {
  EXAMPLE_NOTIFICATION_PROJECT_ID,
  channelSchema,
  localTimeSchema,
  notificationActorSchema,
  notificationLocalIdSchema,
  notificationProjectIdSchema,
  platformRoleSchema,
  timeZoneSchema,
  userIdSchema,
} from './notification-primitives.schema';

/**
 * Events of a project's stakeholder register and communication plan (stream `stakeholder-register:<tenant>:<projectId>`,
 * ADR 0404): who has a stake (name, role, organisation, interest, influence, preferred channel) and which report goes to
 * whom how often, and each run of the plan.
 */

const projectId = EXAMPLE_NOTIFICATION_PROJECT_ID;
const at = '2026-03-02T10:00:00.000Z';
const levelSchema = z.enum(['low', 'medium', 'high']);
const stakeholderIdSchema = notificationLocalIdSchema.describe('Chosen by the client, unique in the project');
const communicationIdSchema = notificationLocalIdSchema.describe('Chosen by the client, unique in the project');

const stakeholderShape = {
  projectId: notificationProjectIdSchema,
  stakeholderId: stakeholderIdSchema,
  name: trimmedText(200),
  role: trimmedText(200).nullable().describe('Their role in or towards the project (sponsor, key user…)'),
  organisation: trimmedText(200).nullable(),
  interest: levelSchema.describe('How much the project’s outcome matters to them'),
  influence: levelSchema.describe('How much they can sway it'),
  preferredChannel: channelSchema.describe('How they like to hear from the project'),
  userId: userIdSchema.nullable().describe('Their account on the platform (token `sub`), when they have one: how they are reached'),
};
const stakeholderExample = {
  projectId,
  stakeholderId: 'cfo',
  name: 'Dana Whitfield',
  role: 'Sponsor',
  organisation: 'Finance',
  interest: 'high' as const,
  influence: 'high' as const,
  preferredChannel: 'email' as const,
  userId: 'user:dana',
};

export const stakeholderRegisteredV1Schema = z.strictObject({ ...stakeholderShape, registeredBy: notificationActorSchema, registeredAt: isoDateTimeSchema });
export type StakeholderRegisteredV1 = z.output<typeof stakeholderRegisteredV1Schema>;
export const stakeholderRegisteredV1 = defineEventContract({
  context: 'notification',
  name: 'StakeholderRegistered',
  version: 1,
  schema: stakeholderRegisteredV1Schema,
  description: 'Someone with a stake in the project joined its register.',
  example: { ...stakeholderExample, registeredBy: 'user:pm-1', registeredAt: at },
});

export const stakeholderRevisedV1Schema = z.strictObject({ ...stakeholderShape, revisedBy: notificationActorSchema, revisedAt: isoDateTimeSchema });
export type StakeholderRevisedV1 = z.output<typeof stakeholderRevisedV1Schema>;
export const stakeholderRevisedV1 = defineEventContract({
  context: 'notification',
  name: 'StakeholderRevised',
  version: 1,
  schema: stakeholderRevisedV1Schema,
  description: 'A stakeholder’s entry as it now stands (the whole entry: role, interest, influence or channel may have moved).',
  example: { ...stakeholderExample, influence: 'medium', revisedBy: 'user:pm-1', revisedAt: at },
});

export const stakeholderRemovedV1Schema = z.strictObject({ projectId: notificationProjectIdSchema, stakeholderId: stakeholderIdSchema, removedBy: notificationActorSchema, removedAt: isoDateTimeSchema });
export type StakeholderRemovedV1 = z.output<typeof stakeholderRemovedV1Schema>;
export const stakeholderRemovedV1 = defineEventContract({
  context: 'notification',
  name: 'StakeholderRemoved',
  version: 1,
  schema: stakeholderRemovedV1Schema,
  description: 'The stakeholder left the register; plans that named them skip them from now on.',
  example: { projectId, stakeholderId: 'cfo', removedBy: 'user:pm-1', removedAt: at },
});

export const communicationPlannedV1Schema = z.strictObject({
  projectId: notificationProjectIdSchema,
  communicationId: communicationIdSchema,
  report: z.enum(['status-summary']).describe('What goes out: the project status summary built from its activity feed'),
  audience: z
    .strictObject({
      stakeholders: z.array(stakeholderIdSchema).max(200).describe('Stakeholders of the register, each once'),
      roles: z.array(platformRoleSchema).max(5).describe('Everyone with these roles in the project (tenant-wide roles included), each once'),
    })
    .describe('Who receives it; at least one stakeholder or role'),
  cadence: z.strictObject({
    every: z.enum(['day', 'week']),
    at: localTimeSchema,
    weekday: z.number().int().min(1).max(7).nullable().describe('ISO weekday (1 = Monday) of a weekly report; null for daily'),
    timeZone: timeZoneSchema,
  }),
  plannedBy: notificationActorSchema,
  plannedAt: isoDateTimeSchema,
});
export type CommunicationPlannedV1 = z.output<typeof communicationPlannedV1Schema>;
export const communicationPlannedV1 = defineEventContract({
  context: 'notification',
  name: 'CommunicationPlanned',
  version: 1,
  schema: communicationPlannedV1Schema,
  description: 'A report goes to these stakeholders and roles at this cadence (planning it again replaces it); the service runs it on its schedule.',
  example: {
    projectId,
    communicationId: 'weekly-status',
    report: 'status-summary',
    audience: { stakeholders: ['cfo'], roles: ['project-manager'] },
    cadence: { every: 'week', at: '08:00', weekday: 1, timeZone: 'Europe/Berlin' },
    plannedBy: 'user:pm-1',
    plannedAt: at,
  },
});

export const communicationCancelledV1Schema = z.strictObject({ projectId: notificationProjectIdSchema, communicationId: communicationIdSchema, cancelledBy: notificationActorSchema, cancelledAt: isoDateTimeSchema });
export type CommunicationCancelledV1 = z.output<typeof communicationCancelledV1Schema>;
export const communicationCancelledV1 = defineEventContract({
  context: 'notification',
  name: 'CommunicationCancelled',
  version: 1,
  schema: communicationCancelledV1Schema,
  description: 'The planned report goes out no more.',
  example: { projectId, communicationId: 'weekly-status', cancelledBy: 'user:pm-1', cancelledAt: at },
});

export const communicationSentV1Schema = z.strictObject({
  projectId: notificationProjectIdSchema,
  communicationId: communicationIdSchema,
  dueAt: isoDateTimeSchema.describe('The run’s scheduled time: one run per due time, however often the timer fires'),
  recipients: z.array(userIdSchema).max(500).describe('The people it went to, each once'),
  unreachable: z.array(stakeholderIdSchema).max(200).describe('Stakeholders of the audience without an account on the platform'),
  changes: z.number().int().min(0).describe('Activity entries the summary covered'),
  sentAt: isoDateTimeSchema,
});
export type CommunicationSentV1 = z.output<typeof communicationSentV1Schema>;
export const communicationSentV1 = defineEventContract({
  context: 'notification',
  name: 'CommunicationSent',
  version: 1,
  schema: communicationSentV1Schema,
  description: 'One run of a planned report: a notification for each recipient.',
  example: { projectId, communicationId: 'weekly-status', dueAt: '2026-03-09T07:00:00.000Z', recipients: ['dana', 'pm-1'], unreachable: [], changes: 12, sentAt: '2026-03-09T07:00:00.000Z' },
});

declare module '../registry/event-catalogue.types' {
  interface LatestEventDataByType {
    'pm.notification.StakeholderRegistered': StakeholderRegisteredV1;
    'pm.notification.StakeholderRevised': StakeholderRevisedV1;
    'pm.notification.StakeholderRemoved': StakeholderRemovedV1;
    'pm.notification.CommunicationPlanned': CommunicationPlannedV1;
    'pm.notification.CommunicationCancelled': CommunicationCancelledV1;
    'pm.notification.CommunicationSent': CommunicationSentV1;
  }
}
