import { z } from 'zod';
import { trimmedText, uuidSchema } from '../shared/contract-primitives.schema';

/** Shared shapes of the notification context's events: audiences, channels, the inbox, escalation, comments, webhooks. */

export const notificationIdSchema = uuidSchema.describe('Notification id: derived from (source event id, recipient, channel), so a redelivered event names the same notification');
export const sourceEventIdSchema = uuidSchema.describe('The CloudEvents id of the event the notification is about');
export const notificationProjectIdSchema = uuidSchema.describe("Planning's project id");
/** A person, by the id of their token (`sub`): data, never an object key. */
export const userIdSchema = z.string().min(1).max(200).describe('A person, by the id of their token (`sub`)');
export const notificationActorSchema = z.string().min(1).max(200).describe('user:<id> or service:<name>');
/** Client-chosen ids (a subscription, a webhook endpoint's key): data, never object keys. */
export const notificationLocalIdSchema = z.string().min(1).max(100);

export const platformRoleSchema = z.enum(['pmo-admin', 'project-manager', 'resource-manager', 'team-member', 'viewer']);
export const severitySchema = z.enum(['low', 'medium', 'high', 'critical']).describe('In ascending order; the words of the risk matrix');
export const channelSchema = z.enum(['in-app', 'email']);

/** `pm.<context>.<Name>` or a whole context, `pm.<context>.*`. */
export const eventTypeFilterSchema = z
  .string()
  .max(120)
  .regex(/^pm\.[a-z]+\.(?:\*|[A-Z][A-Za-z0-9]*)$/, 'pm.<context>.<EventName> or pm.<context>.*')
  .describe('An event type (pm.planning.PhaseGateRequested) or every event of a context (pm.risk.*)');
export const eventTypeSchema = z
  .string()
  .max(120)
  .regex(/^pm\.[a-z]+\.[A-Z][A-Za-z0-9]*$/, 'pm.<context>.<EventName>')
  .describe('A CloudEvents type of the platform');

/** What a notification or a comment is about, so every notification links to it. */
export const subjectKindSchema = z.enum(['project', 'task', 'risk', 'issue', 'change-request', 'phase-gate', 'resource', 'budget', 'comment', 'webhook-endpoint']);
export const subjectLinkSchema = z
  .strictObject({
    kind: subjectKindSchema,
    id: z.string().min(1).max(200).describe('The id of the thing, in its own context'),
    projectId: notificationProjectIdSchema.nullable().describe('The project it belongs to; null for tenant-wide things'),
  })
  .describe('The thing the notification is about; the UI builds its link from this');

export const commentTargetKindSchema = z.enum(['project', 'task', 'risk', 'issue', 'change-request']);
export const localTimeSchema = z.string().regex(/^(?:[01][0-9]|2[0-3]):[0-5][0-9]$/, 'HH:MM, 00:00 to 23:59').describe('Wall-clock time in the user’s time zone');
/** An IANA zone name's shape; the deciders check it is one the runtime knows. */
export const timeZoneSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^(?:UTC|[A-Z][A-Za-z_+-]*(?:\/[A-Za-z0-9_+-]+){1,2})$/, 'An IANA time zone such as Europe/Berlin, or UTC')
  .describe('IANA time zone');

export const notificationTitleSchema = trimmedText(200);
export const commentBodySchema = trimmedText(10_000);
export const webhookDescriptionSchema = trimmedText(500);
export const webhookUrlSchema = z
  .string()
  .max(2000)
  .regex(/^https?:\/\/[^\s/?#@]+(?::[0-9]{1,5})?(?:[/?#][^\s]*)?$/, 'An absolute http(s) URL without credentials')
  .describe('Where deliveries are POSTed; checked against the SSRF guard when it is registered and again at every connection');
export const keyIdSchema = z.string().min(1).max(100).describe('Names a secret; the secret itself is never in an event');
export const keyFingerprintSchema = z
  .string()
  .regex(/^sha256:[0-9a-f]{16}$/, 'sha256:<first 16 hex digits>')
  .describe('The first 64 bits of SHA-256 of the secret: enough to tell secrets apart, useless to forge a signature');
export const smtpReplySchema = z.string().max(512).describe('The SMTP server’s reply, cut at 512 characters');

export const EXAMPLE_NOTIFICATION_ID = '8d1f4b2a-6c3e-4a5b-9c7d-1e2f3a4b5c6d';
export const EXAMPLE_SOURCE_EVENT_ID = '9e2a5c3b-7d4f-4b6c-8d8e-2f3a4b5c6d7e';
export const EXAMPLE_NOTIFICATION_PROJECT_ID = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
export const EXAMPLE_EMAIL_ID = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
export const EXAMPLE_COMMENT_ID = 'b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e';
export const EXAMPLE_WEBHOOK_ENDPOINT_ID = 'c3d4e5f6-a7b8-4c9d-8e1f-2a3b4c5d6e7f';
export const EXAMPLE_WEBHOOK_DELIVERY_ID = 'd4e5f6a7-b8c9-4d0e-9f2a-3b4c5d6e7f80';
