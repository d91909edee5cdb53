import { z } from 'zod';
import { defineEventContract } from '../registry/event-contract';
import { isoDateTimeSchema } from '../shared/contract-primitives.schema';
import {
  EXAMPLE_NOTIFICATION_PROJECT_ID,
  eventTypeFilterSchema,
  localTimeSchema,
  notificationActorSchema,
  notificationLocalIdSchema,
  notificationProjectIdSchema,
  platformRoleSchema,
  severitySchema,
  timeZoneSchema,
  userIdSchema,
} from './notification-primitives.schema';

/**
 * Who hears what. Subscriptions of a person live on their preferences stream (`notification-preferences:<tenant>:<userId>`)
 * with their channels, time zone, quiet hours and digest; subscriptions of a role and the tenant's escalation time on the
 * tenant's stream (`notification-settings:<tenant>:default`).
 */

const at = '2026-03-01T08:00:00.000Z';

export const subscriptionAudienceSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('user'), userId: userIdSchema }),
    z.strictObject({ kind: z.literal('role'), role: platformRoleSchema }),
  ])
  .describe('One person, or everyone holding a role in the tenant');
export const subscriptionScopeSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('tenant') }),
    z.strictObject({ kind: z.literal('project'), projectId: notificationProjectIdSchema }),
    z.strictObject({ kind: z.literal('own-projects') }),
  ])
  .describe('Every project of the tenant, one project, or the projects where the person holds the role (a project manager’s own projects)');

export const subscriptionStartedV1Schema = z.strictObject({
  subscriptionId: notificationLocalIdSchema,
  audience: subscriptionAudienceSchema,
  scope: subscriptionScopeSchema,
  eventTypes: z.array(eventTypeFilterSchema).min(1).max(50),
  minSeverity: severitySchema.describe('Events below this severity are not told'),
  startedBy: notificationActorSchema,
  startedAt: isoDateTimeSchema,
});
export type SubscriptionStartedV1 = z.output<typeof subscriptionStartedV1Schema>;
export const subscriptionStartedV1 = defineEventContract({
  context: 'notification',
  name: 'SubscriptionStarted',
  version: 1,
  schema: subscriptionStartedV1Schema,
  description: 'A person or a role subscribed to event types at or above a severity, in one project, their own projects or the whole tenant. A repeat with the same id replaces the subscription.',
  example: {
    subscriptionId: 'gates-of-erp',
    audience: { kind: 'user', userId: 'user:pm-1' },
    scope: { kind: 'project', projectId: EXAMPLE_NOTIFICATION_PROJECT_ID },
    eventTypes: ['pm.planning.PhaseGateRequested', 'pm.risk.*'],
    minSeverity: 'medium',
    startedBy: 'user:pm-1',
    startedAt: at,
  },
});

export const subscriptionEndedV1Schema = z.strictObject({
  subscriptionId: notificationLocalIdSchema.describe('A subscription of this stream, or a built-in default of a role (`default:<role>:<topic>`)'),
  audience: subscriptionAudienceSchema,
  endedBy: notificationActorSchema,
  endedAt: isoDateTimeSchema,
});
export type SubscriptionEndedV1 = z.output<typeof subscriptionEndedV1Schema>;
export const subscriptionEndedV1 = defineEventContract({
  context: 'notification',
  name: 'SubscriptionEnded',
  version: 1,
  schema: subscriptionEndedV1Schema,
  description: 'A subscription, or a built-in default subscription of a role, was ended.',
  example: { subscriptionId: 'gates-of-erp', audience: { kind: 'user', userId: 'user:pm-1' }, endedBy: 'user:pm-1', endedAt: at },
});

export const emailModeSchema = z.enum(['immediately', 'digest', 'never']);
export const channelPreferenceSetV1Schema = z.strictObject({
  userId: userIdSchema,
  eventType: eventTypeFilterSchema.nullable().describe('The events this choice is for; null for the person’s default'),
  inApp: z.boolean().describe('Into the in-app inbox'),
  email: emailModeSchema.describe('By e-mail at once (outside quiet hours), in the next digest, or not at all'),
  setBy: notificationActorSchema,
  setAt: isoDateTimeSchema,
});
export type ChannelPreferenceSetV1 = z.output<typeof channelPreferenceSetV1Schema>;
export const channelPreferenceSetV1 = defineEventContract({
  context: 'notification',
  name: 'ChannelPreferenceSet',
  version: 1,
  schema: channelPreferenceSetV1Schema,
  description: 'A person chose how they hear of some events (or of all by default): in the inbox, by e-mail at once or in a digest, or not at all (no inbox, no e-mail).',
  example: { userId: 'user:pm-1', eventType: 'pm.risk.*', inApp: true, email: 'digest', setBy: 'user:pm-1', setAt: at },
});

export const timeZoneSetV1Schema = z.strictObject({ userId: userIdSchema, timeZone: timeZoneSchema, setBy: notificationActorSchema, setAt: isoDateTimeSchema });
export type TimeZoneSetV1 = z.output<typeof timeZoneSetV1Schema>;
export const timeZoneSetV1 = defineEventContract({
  context: 'notification',
  name: 'TimeZoneSet',
  version: 1,
  schema: timeZoneSetV1Schema,
  description: 'The time zone in which a person’s quiet hours and digest times are read (UTC until set).',
  example: { userId: 'user:pm-1', timeZone: 'Europe/Berlin', setBy: 'user:pm-1', setAt: at },
});

export const quietHoursSetV1Schema = z.strictObject({
  userId: userIdSchema,
  quietHours: z
    .strictObject({ from: localTimeSchema, to: localTimeSchema })
    .refine((q) => q.from !== q.to, { message: 'from and to must differ' })
    .nullable()
    .describe('From (inclusive) to (exclusive) in the person’s time zone, across midnight when to < from; null for none'),
  setBy: notificationActorSchema,
  setAt: isoDateTimeSchema,
});
export type QuietHoursSetV1 = z.output<typeof quietHoursSetV1Schema>;
export const quietHoursSetV1 = defineEventContract({
  context: 'notification',
  name: 'QuietHoursSet',
  version: 1,
  schema: quietHoursSetV1Schema,
  description: 'A person set (or, with null, cleared) the hours in which e-mail waits until they end.',
  example: { userId: 'user:pm-1', quietHours: { from: '22:00', to: '07:00' }, setBy: 'user:pm-1', setAt: at },
});

export const digestCadenceSetV1Schema = z.strictObject({
  userId: userIdSchema,
  cadence: z.enum(['daily', 'weekly']),
  at: localTimeSchema,
  weekday: z.number().int().min(1).max(7).nullable().describe('ISO weekday (1 = Monday) of a weekly digest; null for daily'),
  setBy: notificationActorSchema,
  setAt: isoDateTimeSchema,
});
export type DigestCadenceSetV1 = z.output<typeof digestCadenceSetV1Schema>;
export const digestCadenceSetV1 = defineEventContract({
  context: 'notification',
  name: 'DigestCadenceSet',
  version: 1,
  schema: digestCadenceSetV1Schema,
  description: 'When a person’s digest goes out: daily or weekly at a wall-clock time in their time zone (daily at 08:00 until set).',
  example: { userId: 'user:pm-1', cadence: 'weekly', at: '08:00', weekday: 1, setBy: 'user:pm-1', setAt: at },
});

export const escalationTimeoutSetV1Schema = z.strictObject({
  ackWithinMinutes: z.number().int().min(5).max(10_080).describe('5 minutes to 7 days'),
  setBy: notificationActorSchema,
  setAt: isoDateTimeSchema,
});
export type EscalationTimeoutSetV1 = z.output<typeof escalationTimeoutSetV1Schema>;
export const escalationTimeoutSetV1 = defineEventContract({
  context: 'notification',
  name: 'EscalationTimeoutSet',
  version: 1,
  schema: escalationTimeoutSetV1Schema,
  description: 'How long a critical notification may go unacknowledged in the tenant before it goes to the next person of the project’s escalation chain (60 minutes until set).',
  example: { ackWithinMinutes: 30, setBy: 'user:pmo-1', setAt: at },
});

declare module '../registry/event-catalogue.types' {
  interface LatestEventDataByType {
    'pm.notification.SubscriptionStarted': SubscriptionStartedV1;
    'pm.notification.SubscriptionEnded': SubscriptionEndedV1;
    'pm.notification.ChannelPreferenceSet': ChannelPreferenceSetV1;
    'pm.notification.TimeZoneSet': TimeZoneSetV1;
    'pm.notification.QuietHoursSet': QuietHoursSetV1;
    'pm.notification.DigestCadenceSet': DigestCadenceSetV1;
    'pm.notification.EscalationTimeoutSet': EscalationTimeoutSetV1;
  }
}
