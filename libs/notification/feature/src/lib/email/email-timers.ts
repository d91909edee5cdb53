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
    this.scheduler.register(EMAIL_DUE, (fire) => this.single(fire));
    this.scheduler.register<DigestPayload>(EMAIL_DIGEST, (fire) => this.digest(fire));
  }

  private async single(fire: FireContext): Promise<FireResult> {
    const row = await this.deliveries.find(fire.tx, fire.tenantId, fire.key);
    if (row === null) return undefined;
    const retryAt = await this.deliver(fire, {
      emailId: singleEmailIdOf(row.notificationId),
      kind: 'single',
      recipientId: row.recipientId,
      rows: [row],
      render: (reader) => renderSingleEmail(itemOf(row), reader, this.options.appUrl),
    });
    return retryAt === null ? undefined : { nextDueAt: retryAt };
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
    const { tenantId } = fire;
    const emailStream = emailStreamId(tenantId, delivery.emailId);
    const { state } = await this.writePath.load(emailAggregate, emailStream, tenantId);
    if (!mayAttempt(state)) return null;
    const recipient = await this.deliveries.recipient(fire.tx, tenantId, delivery.recipientId);
    let reply = NO_ADDRESS;
    let outcome: SmtpOutcome = 'rejected';
    const messageId = `<${delivery.emailId}@${this.options.messageIdDomain}>`;
    if (recipient.email !== null) {
      const { state: prefs } = await this.writePath.load(userPreferencesAggregate, userPreferencesStreamId(tenantId, delivery.recipientId), tenantId);
      const { state: settings } = await this.writePath.load(tenantNotificationSettingsAggregate, tenantNotificationSettingsStreamId(tenantId), tenantId);
      const rendered = delivery.render({ locale: recipient.locale ?? 'en', timeZone: prefs.timeZone });
      reply = await this.mailer.send({ ...rendered, to: recipient.email, sender: settings.emailSender ?? this.options.sender, messageId });
      outcome = smtpOutcomeOf(reply.code);
    }
    const retryAt = new Date(fire.firedAt.getTime() + backoffDelayMs(state.attempts + 1, { ...this.options.retry, jitter: 0.1 }));
    // Outcomes only: the address, subject and body never reach the log.
    this.log.log({ tenantId, emailId: delivery.emailId, kind: delivery.kind, attempt: state.attempts + 1, code: reply.code, outcome }, 'e-mail attempt');
    const ctx = systemContext(NOTIFICATION_SERVICE, tenantId, undefined, { now: () => fire.firedAt });
    let retrying = false;
    await this.writePath.runIn(fire.tx, ctx, async (tx) => {
      const notificationIds = delivery.rows.map((r) => r.notificationId);
      const before = (await tx.load(emailAggregate, emailStream)).version;
      const command = { emailId: delivery.emailId, recipientId: delivery.recipientId, kind: delivery.kind, notificationIds, reply, outcome, messageId, nextAttemptAt: retryAt.toISOString(), maxAttempts: this.options.retry.maxAttempts };
      const { events } = await tx.decide(emailAggregate, emailStream, { type: 'RecordEmailAttempt', data: command, metadata: metadataOf(ctx) });
      inboxRowsInPlan(tx, emailStream, before, events);
      retrying = events.some((e) => e.type === 'EmailDeliveryAttempted');
      if (!events.some((e) => e.type === 'EmailSent')) return;
      for (const notificationId of notificationIds) {
        const stream = notificationStreamId(tenantId, notificationId);
        const { version } = await tx.load(notificationAggregate, stream);
        const delivered = await tx.decide(notificationAggregate, stream, { type: 'DeliverNotification', data: { notificationId, emailId: delivery.emailId }, metadata: metadataOf(ctx) });
        inboxRowsInPlan(tx, stream, version, delivered.events);
      }
    });
    return retrying ? retryAt : null;
  }
}
