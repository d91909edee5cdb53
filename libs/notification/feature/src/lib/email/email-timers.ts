import { Inject, Injectable, Logger } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import { EmailDeliveries } from '@pm/notification/data-access';
import type { EmailDeliveryRow } from '@pm/notification/data-access';
import {
  digestEmailIdOf,
  emailAggregate,
  emailStreamId,
  mayAttempt,
  nextDigestAt,
  notificationAggregate,
  notificationStreamId,
  renderDigestEmail,
  renderSingleEmail,
  singleEmailIdOf,
  smtpOutcomeOf,
  tenantNotificationSettingsAggregate,
  tenantNotificationSettingsStreamId,
  userPreferencesAggregate,
  userPreferencesStreamId,
} from '@pm/notification/domain';
import type { EmailItem, EmailReader, RenderedEmail, SmtpOutcome, SmtpReply } from '@pm/notification/domain';
import { WritePath } from '@pm/platform/event-store';
import { systemContext } from '@pm/platform/request-context';
import { DurableScheduler, backoffDelayMs } from '@pm/platform/scheduler';
import type { FireContext, FireResult } from '@pm/platform/scheduler';
import { inboxRowsInPlan } from '../events/notifications-in-plan';
import { metadataOf } from '../shared/caller';
import { NOTIFICATION_SERVICE } from '../shared/notification-options';
import { EMAIL_OPTIONS } from './email-options';
import type { EmailOptions } from './email-options';
import { EMAIL_DIGEST, EMAIL_DUE } from './email-items';
import type { DigestPayload } from './email-items';
import { SmtpMailer } from './smtp-mailer';

interface Delivery {
  readonly emailId: string;
  readonly kind: 'single' | 'digest';
  readonly recipientId: string;
  readonly rows: readonly EmailDeliveryRow[];
  readonly render: (reader: EmailReader) => RenderedEmail;
}

interface Attempt {
  readonly delivery: Delivery;
  readonly reply: SmtpReply;
  readonly outcome: SmtpOutcome;
  readonly messageId: string;
  readonly retryAt: Date;
}

const itemOf = (row: EmailDeliveryRow): EmailItem => ({
  notificationId: row.notificationId,
  title: row.title,
  severity: row.severity,
  subject: row.subject as EmailItem['subject'],
  occurredAt: row.occurredAt,
});

const NO_ADDRESS: SmtpReply = { code: null, text: 'no e-mail address is known for the recipient (their token carried no email claim)' };

/**
 * Fires the e-mail items (ADR 0402). Each firing reads the e-mail's stream first: one already sent or failed decides
 * nothing and sends nothing, so a timer that fires again (a redelivered source event, a restarted worker) never sends
 * a second message. The outcome — EmailSent (and NotificationDelivered for every notification it carried),
 * EmailDeliveryAttempted or EmailDeliveryFailed — is appended on the write path in the firing transaction itself, so
 * the outcome and the item's completion (or its move to the retry time) commit together.
 */
@Injectable()
export class EmailTimers implements OnModuleInit {
  private readonly log = new Logger(EmailTimers.name);
  private readonly deliveries = new EmailDeliveries();

  constructor(
    private readonly scheduler: DurableScheduler,
    private readonly writePath: WritePath,
    private readonly mailer: SmtpMailer,
    @Inject(EMAIL_OPTIONS) private readonly options: EmailOptions,
  ) {}

  onModuleInit(): void {
    this.scheduler.registerBatch(EMAIL_DUE, (fires) => this.singles(fires));
    this.scheduler.register<DigestPayload>(EMAIL_DIGEST, (fire) => this.digest(fire));
  }

  /**
   * A tenant's due single e-mails, fired together (the scheduler groups a batch by tenant): their rows in one read, the
   * sends side by side, the outcomes in one plan. An item whose row is gone has nothing to send.
   */
  private async singles(fires: readonly FireContext[]): Promise<FireResult[]> {
    const { tx, tenantId } = fires[0];
    const rows = await this.deliveries.findMany(tx, tenantId, fires.map((f) => f.key));
    const deliveries = fires.map((fire): Delivery | null => {
      const row = rows.get(fire.key);
      if (row === undefined) return null;
      return { emailId: singleEmailIdOf(row.notificationId), kind: 'single', recipientId: row.recipientId, rows: [row], render: (reader) => renderSingleEmail(itemOf(row), reader, this.options.appUrl) };
    });
    const retries = await this.deliverAll(fires[0], deliveries.filter((d): d is Delivery => d !== null));
    return deliveries.map((d) => {
      const retryAt = d === null ? undefined : retries.get(d.emailId);
      return retryAt === undefined ? undefined : { nextDueAt: retryAt };
    });
  }

  /** Collects what waits for the person's digest into one e-mail, then re-arms at their next digest time. */
  private async digest(fire: FireContext<DigestPayload>): Promise<FireResult> {
    const { tenantId, key: recipientId } = fire;
    const { state: prefs } = await this.writePath.load(userPreferencesAggregate, userPreferencesStreamId(tenantId, recipientId), tenantId);
    const next = { nextDueAt: new Date(nextDigestAt(prefs.digest, prefs.timeZone, fire.firedAt.toISOString())), payload: {} };
    const rows = await this.deliveries.pendingDigest(fire.tx, tenantId, recipientId);
    if (rows.length === 0) return next;
    const digestAt = fire.payload.digestAt ?? fire.dueAt.toISOString();
    const retryAt = await this.deliver(fire, {
      emailId: digestEmailIdOf(recipientId, digestAt),
      kind: 'digest',
      recipientId,
      rows,
      render: (reader) => renderDigestEmail(rows.map(itemOf), reader, this.options.appUrl, digestAt),
    });
    return retryAt === null ? next : { nextDueAt: retryAt, payload: { digestAt } };
  }

  /** Sends once and records the outcome; the time of the next attempt when the server said "later". */
  private async deliver(fire: FireContext<DigestPayload> | FireContext, delivery: Delivery): Promise<Date | null> {
    return (await this.deliverAll(fire, [delivery])).get(delivery.emailId) ?? null;
  }

  /**
   * Sends each e-mail once (side by side), then records every outcome in one plan on the firing transaction: one
   * append and one commit for all of them. Returns the next attempt's time per e-mail the server said "later" to.
   */
  private async deliverAll(fire: FireContext<DigestPayload> | FireContext, deliveries: readonly Delivery[]): Promise<Map<string, Date>> {
    const retries = new Map<string, Date>();
    if (deliveries.length === 0) return retries;
    const attempts = await this.attemptAll(fire, deliveries);
    if (attempts.length === 0) return retries;
    const { tenantId } = fire;
    const ctx = systemContext(NOTIFICATION_SERVICE, tenantId, undefined, { now: () => fire.firedAt });
    await this.writePath.runIn(fire.tx, ctx, async (tx) => {
      const emailStreams = attempts.map((a) => emailStreamId(tenantId, a.delivery.emailId));
      const emails = await tx.loadMany(emailAggregate, emailStreams);
      const sent: Array<{ delivery: Delivery; notificationId: string; stream: string }> = [];
      for (const [i, { delivery, reply, outcome, messageId, retryAt }] of attempts.entries()) {
        const notificationIds = delivery.rows.map((r) => r.notificationId);
        const command = { emailId: delivery.emailId, recipientId: delivery.recipientId, kind: delivery.kind, notificationIds, reply, outcome, messageId, nextAttemptAt: retryAt.toISOString(), maxAttempts: this.options.retry.maxAttempts };
        const { events } = await tx.decide(emailAggregate, emailStreams[i], { type: 'RecordEmailAttempt', data: command, metadata: metadataOf(ctx) });
        inboxRowsInPlan(tx, emailStreams[i], emails.get(emailStreams[i])?.version ?? 0, events);
        if (events.some((e) => e.type === 'EmailDeliveryAttempted')) retries.set(delivery.emailId, retryAt);
        if (events.some((e) => e.type === 'EmailSent')) for (const id of notificationIds) sent.push({ delivery, notificationId: id, stream: notificationStreamId(tenantId, id) });
      }
      // Every notification the sent e-mails carried is delivered, its stream read together with the others'.
      const notifications = await tx.loadMany(notificationAggregate, sent.map((s) => s.stream));
      for (const { delivery, notificationId, stream } of sent) {
        const delivered = await tx.decide(notificationAggregate, stream, { type: 'DeliverNotification', data: { notificationId, emailId: delivery.emailId }, metadata: metadataOf(ctx) });
        inboxRowsInPlan(tx, stream, notifications.get(stream)?.version ?? 0, delivered.events);
      }
    });
    return retries;
  }

  /**
   * One SMTP attempt per e-mail whose stream says it is not settled (a settled one sends and records nothing), side by
   * side; what they need (the e-mails' streams, addresses, preferences, the tenant's sender) read once for all.
   */
  private async attemptAll(fire: FireContext<DigestPayload> | FireContext, deliveries: readonly Delivery[]): Promise<Attempt[]> {
    const { tenantId } = fire;
    const emails = await this.writePath.loadMany(emailAggregate, deliveries.map((d) => emailStreamId(tenantId, d.emailId)), tenantId);
    const open = deliveries.flatMap((delivery) => {
      const state = emails.get(emailStreamId(tenantId, delivery.emailId))?.state;
      return state !== undefined && mayAttempt(state) ? [{ delivery, attempts: state.attempts }] : [];
    });
    if (open.length === 0) return [];
    const people = open.map((o) => o.delivery.recipientId);
    const recipients = await this.deliveries.recipients(fire.tx, tenantId, people);
    const prefs = await this.writePath.loadMany(userPreferencesAggregate, people.map((id) => userPreferencesStreamId(tenantId, id)), tenantId);
    const { state: settings } = await this.writePath.load(tenantNotificationSettingsAggregate, tenantNotificationSettingsStreamId(tenantId), tenantId);
    return Promise.all(
      open.map(async ({ delivery, attempts }): Promise<Attempt> => {
        const recipient = recipients.get(delivery.recipientId) ?? { email: null, locale: null };
        let reply = NO_ADDRESS;
        let outcome: SmtpOutcome = 'rejected';
        const messageId = `<${delivery.emailId}@${this.options.messageIdDomain}>`;
        if (recipient.email !== null) {
          const preferences = prefs.get(userPreferencesStreamId(tenantId, delivery.recipientId));
          const rendered = delivery.render({ locale: recipient.locale ?? 'en', timeZone: preferences?.state.timeZone ?? 'UTC' });
          reply = await this.mailer.send({ ...rendered, to: recipient.email, sender: settings.emailSender ?? this.options.sender, messageId });
          outcome = smtpOutcomeOf(reply.code);
        }
        const retryAt = new Date(fire.firedAt.getTime() + backoffDelayMs(attempts + 1, { ...this.options.retry, jitter: 0.1 }));
        // Outcomes only: the address, subject and body never reach the log.
        this.log.log({ tenantId, emailId: delivery.emailId, kind: delivery.kind, attempt: attempts + 1, code: reply.code, outcome }, 'e-mail attempt');
        return { delivery, reply, outcome, messageId, retryAt };
      }),
    );
  }
}
