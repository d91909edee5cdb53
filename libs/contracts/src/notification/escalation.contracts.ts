import { z } from 'zod';
import { defineEventContract } from '../registry/event-contract';
import { isoDateTimeSchema } from '../shared/contract-primitives.schema';
import {
  EXAMPLE_NOTIFICATION_PROJECT_ID,
  EXAMPLE_SOURCE_EVENT_ID,
  notificationActorSchema,
  notificationProjectIdSchema,
  notificationTitleSchema,
  severitySchema,
  sourceEventIdSchema,
  subjectLinkSchema,
  userIdSchema,
} from './notification-primitives.schema';

/**
 * A project's escalation chain (stream `escalation-chain:<tenant>:<projectId>`), and one Escalation per critical event
 * and project (stream `escalation:<tenant>:<sourceEventId>`): who was told, who is next, who acknowledged.
 */

const projectId = EXAMPLE_NOTIFICATION_PROJECT_ID;
const ofEscalation = { escalationId: sourceEventIdSchema.describe('The id of the critical event: one escalation per event'), projectId: notificationProjectIdSchema };
const ids = { escalationId: EXAMPLE_SOURCE_EVENT_ID, projectId };
const chainSchema = z.array(userIdSchema).min(1).max(10).describe('People in the order they are escalated to, each once');
const stepSchema = z.number().int().min(1).max(10).describe('1 for the first person of the chain');

export const escalationChainDefinedV1Schema = z.strictObject({ projectId: notificationProjectIdSchema, chain: chainSchema, definedBy: notificationActorSchema, definedAt: isoDateTimeSchema });
export type EscalationChainDefinedV1 = z.output<typeof escalationChainDefinedV1Schema>;
export const escalationChainDefinedV1 = defineEventContract({
  context: 'notification',
  name: 'EscalationChainDefined',
  version: 1,
  schema: escalationChainDefinedV1Schema,
  description: 'Who a project’s unacknowledged critical notifications go to, in order. Escalations already running keep the chain they started with.',
  example: { projectId, chain: ['user:deputy-pm', 'user:head-of-pmo'], definedBy: 'user:pmo-1', definedAt: '2026-03-01T08:00:00.000Z' },
});

export const escalationStartedV1Schema = z.strictObject({
  ...ofEscalation,
  severity: severitySchema,
  subject: subjectLinkSchema,
  title: notificationTitleSchema,
  notified: z.array(userIdSchema).min(1).max(200).describe('Who heard of it first (its subscribers)'),
  chain: chainSchema,
  ackDueAt: isoDateTimeSchema,
  startedAt: isoDateTimeSchema,
});
export type EscalationStartedV1 = z.output<typeof escalationStartedV1Schema>;
export const escalationStartedV1 = defineEventContract({
  context: 'notification',
  name: 'EscalationStarted',
  version: 1,
  schema: escalationStartedV1Schema,
  description: 'A critical notification went out; unless someone acknowledges it by ackDueAt it goes to the next person of the chain (a copy of the project’s chain at this moment).',
  example: {
    ...ids,
    severity: 'critical',
    subject: { kind: 'risk', id: '3a7c1e5b-9d2f-4b6a-8c1e-2f3a4b5c6d7e', projectId },
    title: 'Risk "Vendor late" rated critical',
    notified: ['user:pm-1'],
    chain: ['user:deputy-pm', 'user:head-of-pmo'],
    ackDueAt: '2026-03-03T10:00:00.000Z',
    startedAt: '2026-03-03T09:00:00.000Z',
  },
});

export const notificationEscalatedV1Schema = z.strictObject({ ...ofEscalation, step: stepSchema, toUserId: userIdSchema, ackDueAt: isoDateTimeSchema, escalatedAt: isoDateTimeSchema });
export type NotificationEscalatedV1 = z.output<typeof notificationEscalatedV1Schema>;
export const notificationEscalatedV1 = defineEventContract({
  context: 'notification',
  name: 'NotificationEscalated',
  version: 1,
  schema: notificationEscalatedV1Schema,
  description: 'Nobody acknowledged in time: the next person of the chain is told, and has until ackDueAt.',
  example: { ...ids, step: 1, toUserId: 'user:deputy-pm', ackDueAt: '2026-03-03T11:00:00.000Z', escalatedAt: '2026-03-03T10:00:00.000Z' },
});

export const notificationAcknowledgedV1Schema = z.strictObject({ ...ofEscalation, acknowledgedBy: userIdSchema, acknowledgedAt: isoDateTimeSchema });
export type NotificationAcknowledgedV1 = z.output<typeof notificationAcknowledgedV1Schema>;
export const notificationAcknowledgedV1 = defineEventContract({
  context: 'notification',
  name: 'NotificationAcknowledged',
  version: 1,
  schema: notificationAcknowledgedV1Schema,
  description: 'Someone who was told took the critical notification on; the escalation stops.',
  example: { ...ids, acknowledgedBy: 'user:deputy-pm', acknowledgedAt: '2026-03-03T10:20:00.000Z' },
});

export const escalationExhaustedV1Schema = z.strictObject({ ...ofEscalation, steps: z.number().int().min(0).max(10), exhaustedAt: isoDateTimeSchema });
export type EscalationExhaustedV1 = z.output<typeof escalationExhaustedV1Schema>;
export const escalationExhaustedV1 = defineEventContract({
  context: 'notification',
  name: 'EscalationExhausted',
  version: 1,
  schema: escalationExhaustedV1Schema,
  description: 'The last person of the chain did not acknowledge in time either; nobody further is told (a portfolio alert for the pmo-admins).',
  example: { ...ids, steps: 2, exhaustedAt: '2026-03-03T12:00:00.000Z' },
});

declare module '../registry/event-catalogue.types' {
  interface LatestEventDataByType {
    'pm.notification.EscalationChainDefined': EscalationChainDefinedV1;
    'pm.notification.EscalationStarted': EscalationStartedV1;
    'pm.notification.NotificationEscalated': NotificationEscalatedV1;
    'pm.notification.NotificationAcknowledged': NotificationAcknowledgedV1;
    'pm.notification.EscalationExhausted': EscalationExhaustedV1;
  }
}
