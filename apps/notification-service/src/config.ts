import { z } from 'zod';
import { emailAddressSchema, emailDisplayNameSchema } from '@pm/contracts';
import type { NotificationOptions } from '@pm/notification/feature';
import type { Clock } from '@pm/platform/request-context';
import type { WebhookResolver } from '@pm/notification/feature';

const envSchema = z.object({
  PG_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/pm_notification'),
  NOTIFICATION_CONSUMER_GROUP: z.string().min(1).default('notification-service'),
  /** How often an open inbox stream looks for notifications another replica wrote (ms). */
  INBOX_STREAM_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  /** How long a stream ticket may wait for its single use (s). */
  STREAM_TICKET_TTL_SECONDS: z.coerce.number().int().min(5).max(300).default(30),
  /** Events older than this (a new group replaying history) teach the directory but notify nobody (min). */
  NOTIFY_MAX_EVENT_AGE_MINUTES: z.coerce.number().int().min(1).max(525_600).default(1440),
  /** The longest sleep of the scheduler (escalations, communication plans): how late another replica's item is seen at worst (ms). */
  SCHEDULER_POLL_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  /** The SMTP server e-mail is handed to (ADR 0402); locally `npm start`'s catcher on 2525. */
  SMTP_HOST: z.string().min(1).max(253).default('127.0.0.1'),
  SMTP_PORT: z.coerce.number().int().min(1).max(65_535).default(2525),
  /** true: TLS from the first byte (465); false: STARTTLS when offered. */
  SMTP_SECURE: z.enum(['true', 'false']).default('false'),
  /** Credentials, from a secret; never logged. */
  SMTP_USER: z.string().max(256).optional(),
  SMTP_PASSWORD: z.string().max(1024).optional(),
  SMTP_TIMEOUT_MS: z.coerce.number().int().min(500).max(60_000).default(10_000),
  /** SMTP connections kept open and reused (each for up to 100 e-mails; closed after 30 s idle); 0: a connection per e-mail. */
  SMTP_POOL_CONNECTIONS: z.coerce.number().int().min(0).max(50).default(5),
  /** The sender of tenants that set none: `Name <address>` is two variables so neither needs parsing. */
  EMAIL_FROM_NAME: emailDisplayNameSchema.default('PM Platform'),
  EMAIL_FROM_ADDRESS: emailAddressSchema.default('notifications@pm.localhost'),
  EMAIL_APP_URL: z.string().url().default('http://localhost:4200'),
  EMAIL_MESSAGE_ID_DOMAIN: z.string().min(1).max(253).default('notify.pm.localhost'),
  EMAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  EMAIL_RETRY_BASE_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
  /** Partitions the consumer of the other services' events works on at once. */
  NOTIFY_CONSUMER_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(3),
  /** The source consumer's transaction takes no further message after this long (ms); see NotificationOptions.consumerMaxBatchMs. */
  NOTIFY_CONSUMER_MAX_BATCH_MS: z.coerce.number().int().min(10).max(10_000).default(1000),
  /** The webhook delivery consumer's own group (ADR 0403). */
  WEBHOOK_CONSUMER_GROUP: z.string().min(1).default('notification-service-webhooks'),
  /** 32 bytes (base64 or 64 hex digits) sealing webhook secrets at rest; required in production. */
  WEBHOOK_SECRET_KEY: z.string().optional(),
  NODE_ENV: z.string().optional(),
});

export interface NotificationServiceConfig {
  readonly pgUrl: string;
  readonly consumerGroupId?: string;
  readonly streamPollMs?: number;
  readonly ticketTtlSeconds?: number;
  readonly maxEventAgeMinutes?: number;
  readonly schedulerPollMs?: number;
  readonly email?: NotificationOptions['email'];
  readonly consumerConcurrency?: number;
  readonly consumerMaxBatchMs?: number;
  readonly webhookConsumerGroupId?: string;
  readonly webhookSecretKey?: string;
  readonly production?: boolean;
  /** The scheduler's clock (webhook retries, escalations, communication plans); tests move a ManualClock. */
  readonly clock?: Clock;
  /** Tests answer DNS for webhook hosts themselves. */
  readonly webhookResolver?: WebhookResolver;
}

/** Fails the boot with every bad variable named, rather than at first use. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): NotificationServiceConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`notification-service configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const d = parsed.data;
  const email: NotificationOptions['email'] = {
    smtp: { host: d.SMTP_HOST, port: d.SMTP_PORT, secure: d.SMTP_SECURE === 'true', user: d.SMTP_USER, password: d.SMTP_PASSWORD, timeoutMs: d.SMTP_TIMEOUT_MS, poolConnections: d.SMTP_POOL_CONNECTIONS },
    sender: { fromName: d.EMAIL_FROM_NAME, fromAddress: d.EMAIL_FROM_ADDRESS, replyTo: null },
    appUrl: d.EMAIL_APP_URL,
    messageIdDomain: d.EMAIL_MESSAGE_ID_DOMAIN,
    retry: { maxAttempts: d.EMAIL_MAX_ATTEMPTS, baseMs: d.EMAIL_RETRY_BASE_MS, maxMs: 60 * 60_000 },
  };
  return {
    pgUrl: d.PG_URL,
    consumerGroupId: d.NOTIFICATION_CONSUMER_GROUP,
    streamPollMs: d.INBOX_STREAM_POLL_MS,
    ticketTtlSeconds: d.STREAM_TICKET_TTL_SECONDS,
    maxEventAgeMinutes: d.NOTIFY_MAX_EVENT_AGE_MINUTES,
    consumerConcurrency: d.NOTIFY_CONSUMER_CONCURRENCY,
    consumerMaxBatchMs: d.NOTIFY_CONSUMER_MAX_BATCH_MS,
    email,
    webhookConsumerGroupId: d.WEBHOOK_CONSUMER_GROUP,
    webhookSecretKey: d.WEBHOOK_SECRET_KEY,
    production: d.NODE_ENV === 'production',
    schedulerPollMs: d.SCHEDULER_POLL_MS,
  };
}
