import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { EmailDeliveries, NOTIFICATION_MIGRATIONS, NotificationDirectory } from '@pm/notification/data-access';
import { tenantNotificationSettingsAggregate, tenantNotificationSettingsStreamId, userPreferencesAggregate, userPreferencesStreamId } from '@pm/notification/domain';
import type { IncomingEvent, TenantNotificationSettingsCommand, UserPreferencesCommand } from '@pm/notification/domain';
import { PgEventStore, WritePath, createPgPool, runMigrations } from '@pm/platform/event-store';
import { ManualClock, requestContext, systemContext } from '@pm/platform/request-context';
import { DurableScheduler } from '@pm/platform/scheduler';
import { createTestDatabase } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { Escalations } from '../escalation/escalations';
import { NotificationRecipients } from '../events/notification-recipients';
import { NotificationWriter } from '../events/notification-writer';
import { ChangePreferencesCommand, ChangePreferencesHandler } from '../preferences/preferences.handler';
import { InboxReadModel } from '../shared/inbox-read-model';
import { EMAIL_DIGEST, EMAIL_DUE } from './email-items';
import { emailOptions } from './email-options';
import { EmailTimers } from './email-timers';
import { SmtpMailer } from './smtp-mailer';
import { TestSmtpServer } from './__fixtures__/test-smtp-server.fixture';

const SERVICE = 'notification-service';
const MINUTE = 60_000;

/**
 * E-mail end to end below HTTP (ADR 0402): a notification routed by the real writer into the real PostgreSQL, its timer
 * on the durable scheduler with a manual clock, nodemailer talking SMTP to a real `smtp-server` on a local port, what
 * arrived parsed by `mailparser`.
 */
describe('E-mail notifications (real PostgreSQL, real SMTP server)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let smtp: TestSmtpServer;
  let writePath: WritePath;
  let store: PgEventStore;
  let clock: ManualClock;
  let scheduler: DurableScheduler;
  let options: ReturnType<typeof emailOptions>;
  const deliveries = new EmailDeliveries();
  const directory = new NotificationDirectory();

  const worker = (): DurableScheduler => {
    const instance = new DurableScheduler({ name: SERVICE, pool, clock, metrics: false });
    new EmailTimers(instance, writePath, new SmtpMailer(options), options).onModuleInit();
    return instance;
  };

  beforeAll(async () => {
    db = await createTestDatabase('notification_email');
    await runMigrations(db.url, NOTIFICATION_MIGRATIONS);
    pool = createPgPool(db.url, { max: 8 });
    store = new PgEventStore(pool);
    writePath = new WritePath(store);
    smtp = new TestSmtpServer();
    const port = await smtp.start();
    options = emailOptions({
      smtp: { host: '127.0.0.1', port, secure: false, timeoutMs: 5_000, poolConnections: 2 },
      appUrl: 'https://pm.example',
      messageIdDomain: 'notify.test',
      retry: { maxAttempts: 3, baseMs: 1_000, maxMs: 10 * MINUTE },
    });
    clock = new ManualClock('2026-03-04T06:00:30.000Z');
    scheduler = worker();
  });

  afterAll(async () => {
    await smtp?.stop();
    await pool?.end();
    await db?.drop();
  });

  /** A person subscribed to every risk event of the tenant, with the address and locale their token carried. */
  type Metadata = UserPreferencesCommand['metadata'];
  async function person(tenantId: string, userId: string, email: string, locale: string, extra: (metadata: Metadata) => UserPreferencesCommand[] = () => []): Promise<void> {
    const ctx = systemContext(SERVICE, tenantId, undefined, clock);
    const metadata = { now: ctx.now, actor: `user:${userId}`, tenantId };
    const commands: UserPreferencesCommand[] = [
      { type: 'SetTimeZone', data: { userId, timeZone: 'Europe/Berlin' }, metadata },
      { type: 'StartUserSubscription', data: { userId, subscriptionId: 'risks', scope: { kind: 'tenant' }, eventTypes: ['pm.risk.*'], minSeverity: 'low' }, metadata },
      ...extra(metadata),
    ];
    await writePath.handle(ctx, userPreferencesAggregate, userPreferencesStreamId(tenantId, userId), commands);
    await directory.subscribed(pool, tenantId, userId, 'risks', true);
    await deliveries.rememberRecipient(pool, tenantId, userId, { email, locale }, ctx.now);
  }

  function riskEvent(title: string, severity: IncomingEvent['severity'] = 'critical', occurredAt = '2026-03-04T06:00:00.000Z'): IncomingEvent {
    return {
      eventId: randomUUID(),
      type: 'pm.risk.RiskAssessed',
      severity,
      projectId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
      subject: { kind: 'risk', id: randomUUID(), projectId: '7c9e6679-7425-40de-944b-e07fc1f90ae7' },
      title,
      occurredAt,
      actor: 'user:someone-else',
    };
  }

  /** The consumer's part: route and write in one transaction, as SourceEventsConsumer does with its inbox row. */
  async function notify(tenantId: string, event: IncomingEvent): Promise<void> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const recipients = new NotificationRecipients(writePath);
      await new NotificationWriter(writePath, scheduler, recipients, new Escalations(scheduler, writePath, store, recipients)).notify(client, systemContext(SERVICE, tenantId, undefined, clock), event);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  }

  /** The e-mail streams' events of a tenant, by name, in log order. */
  const emailEvents = async (tenantId: string) =>
    (
      await pool.query<{ event_type: string; data: Record<string, unknown> }>(
        `SELECT regexp_replace(event_type, '^pm[.]notification[.]', '') AS event_type, data FROM es_events WHERE tenant_id = $1 AND stream_id LIKE 'email:%' ORDER BY global_position`,
        [tenantId],
      )
    ).rows;
  const deliveredCount = async (tenantId: string) =>
    Number((await pool.query(`SELECT count(*) FROM es_events WHERE tenant_id = $1 AND event_type LIKE '%NotificationDelivered' AND data->>'channel' = 'email'`, [tenantId])).rows[0].count);

  it('sends one e-mail at once: subject, HTML and text parts, the date in the reader’s locale and zone, the tenant’s sender', async () => {
    const tenantId = 'tenant-mail-now';
    await person(tenantId, 'pm-1', 'pm-1@northwind.example', 'de-DE');
    const ctx = systemContext(SERVICE, tenantId, undefined, clock);
    const sender: TenantNotificationSettingsCommand = {
      type: 'SetEmailSender',
      data: { fromName: 'Northwind PMO', fromAddress: 'pmo@northwind.example', replyTo: 'pmo-desk@northwind.example' },
      metadata: { now: ctx.now, actor: 'user:pmo-1', tenantId },
    };
    await writePath.handle(ctx, tenantNotificationSettingsAggregate, tenantNotificationSettingsStreamId(tenantId), sender);

    const event = riskEvent('Data migration risk rated critical');
    await notify(tenantId, event);
    await scheduler.runDue();

    const [mail] = smtp.to('pm-1@northwind.example');
    expect(smtp.to('pm-1@northwind.example')).toHaveLength(1);
    expect(mail.subject).toBe('[Critical] Data migration risk rated critical');
    expect(mail.from?.value).toEqual([{ name: 'Northwind PMO', address: 'pmo@northwind.example' }]);
    expect(mail.replyTo?.value[0].address).toBe('pmo-desk@northwind.example');
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail.messageId).toMatch(/@notify\.test>$/);
    // 06:00 UTC is 07:00 in Berlin, said in German.
    expect(mail.text).toContain('Mittwoch, 4. März 2026 um 07:00');
    expect(mail.text).toContain('https://pm.example/projects/7c9e6679-7425-40de-944b-e07fc1f90ae7/risks/');
    expect(mail.html).toContain('<a href="https://pm.example/projects/7c9e6679-7425-40de-944b-e07fc1f90ae7/risks/');
    expect(mail.html).toContain('Mittwoch, 4. März 2026 um 07:00');

    const [row] = await deliveries.ofRecipient(pool, tenantId, 'pm-1', 10, null);
    expect(row).toMatchObject({ status: 'sent', attempts: 1, lastReplyCode: 250, mode: 'now' });
    expect((await emailEvents(tenantId)).map((e) => e.event_type)).toEqual(['EmailSent']);
    expect(await deliveredCount(tenantId)).toBe(1);

    // The same event again (a replay, a second consumer group): nothing new is decided, nothing scheduled, nothing sent.
    await notify(tenantId, event);
    // The timer fired again (a worker restarted before its completion committed): the e-mail's stream says sent.
    await scheduler.schedule({ tenantId, kind: EMAIL_DUE, key: row.notificationId, dueAt: clock.now(), payload: {} });
    await worker().runDue();
    await scheduler.runDue();
    expect(smtp.to('pm-1@northwind.example')).toHaveLength(1);
    expect(await emailEvents(tenantId)).toHaveLength(1);
  });

  it('sends the e-mails due together in one firing: each once, in each reader’s locale, every row settled in the same commit', async () => {
    const tenantId = 'tenant-mail-burst';
    const people = [
      ['pm-1', 'pm-1@burst.example', 'de-DE'],
      ['pm-2', 'pm-2@burst.example', 'en-GB'],
      ['pm-3', 'pm-3@burst.example', 'fr-FR'],
    ] as const;
    for (const [id, email, locale] of people) await person(tenantId, id, email, locale);
    await notify(tenantId, riskEvent('Vendor insolvency rated critical'));
    await notify(tenantId, riskEvent('Cut-over window lost'));
    const fired = await scheduler.runDue();
    expect(fired.filter((f) => f.tenantId === tenantId).map((f) => f.outcome)).toEqual(Array(6).fill('fired'));
    for (const [, email] of people) expect(smtp.to(email).map((m) => m.subject).sort()).toEqual(['[Critical] Cut-over window lost', '[Critical] Vendor insolvency rated critical']);
    expect(smtp.to('pm-2@burst.example')[0].text).toContain('Wednesday');
    const rows = await pool.query<{ status: string; settled_at: Date }>('SELECT status, settled_at FROM notification_email_deliveries WHERE tenant_id = $1', [tenantId]);
    expect(rows.rows.map((r) => r.status)).toEqual(Array(6).fill('sent'));
    // One plan recorded them all: the six EmailSent events share one commit (one transaction id).
    const commits = await pool.query<{ n: number }>(`SELECT count(DISTINCT transaction_id)::int AS n FROM es_events WHERE tenant_id = $1 AND event_type LIKE '%EmailSent'`, [tenantId]);
    expect(commits.rows[0].n).toBe(1);
    expect(await deliveredCount(tenantId)).toBe(6);
  });

  it('retries a 4xx refusal with backoff on the scheduler and sends once when the server accepts', async () => {
    const tenantId = 'tenant-mail-retry';
    await person(tenantId, 'pm-2', 'pm-2@northwind.example', 'en-GB');
    smtp.answer({ code: 451, text: '4.7.1 Greylisted, try again later' });
    await notify(tenantId, riskEvent('Vendor delay'));
    await scheduler.runDue();
    expect(smtp.to('pm-2@northwind.example')).toHaveLength(0);
    const [retrying] = await deliveries.ofRecipient(pool, tenantId, 'pm-2', 10, null);
    expect(retrying).toMatchObject({ status: 'retrying', attempts: 1, lastReplyCode: 451 });
    const due = await scheduler.get(tenantId, EMAIL_DUE, retrying.notificationId);
    expect(due?.dueAt.getTime()).toBe(Date.parse(retrying.nextAttemptAt ?? ''));
    expect(due?.dueAt.getTime()).toBeGreaterThan(clock.now().getTime());

    await scheduler.runDue();
    expect(smtp.to('pm-2@northwind.example')).toHaveLength(0);
    clock.advance(MINUTE);
    await scheduler.runDue();
    expect(smtp.to('pm-2@northwind.example')).toHaveLength(1);
    expect(smtp.to('pm-2@northwind.example')[0].text).toContain('Wednesday, 4 March 2026 at 07:00');
    const [sent] = await deliveries.ofRecipient(pool, tenantId, 'pm-2', 10, null);
    expect(sent).toMatchObject({ status: 'sent', attempts: 2, lastReplyCode: 250, nextAttemptAt: null });
    expect((await emailEvents(tenantId)).map((e) => e.event_type)).toEqual(['EmailDeliveryAttempted', 'EmailSent']);
    expect(await scheduler.get(tenantId, EMAIL_DUE, sent.notificationId)).toBeUndefined();
  });

  it('ends a 5xx refusal, and 4xx refusals past the last attempt, in a failed state the recipient can see', async () => {
    const tenantId = 'tenant-mail-fail';
    await person(tenantId, 'pm-3', 'pm-3@northwind.example', 'en');
    smtp.answer({ code: 550, text: '5.1.1 Mailbox unknown' });
    await notify(tenantId, riskEvent('Budget overrun'));
    await scheduler.runDue();
    const [rejected] = await deliveries.ofRecipient(pool, tenantId, 'pm-3', 10, null);
    expect(rejected).toMatchObject({ status: 'failed', failureReason: 'rejected', attempts: 1, lastReplyCode: 550 });
    expect(await scheduler.get(tenantId, EMAIL_DUE, rejected.notificationId)).toBeUndefined();

    smtp.answer(...Array.from({ length: 3 }, () => ({ code: 421, text: '4.3.2 Service not available' })));
    clock.advance(MINUTE);
    await notify(tenantId, riskEvent('Key engineer leaving'));
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await scheduler.runDue();
      clock.advance(10 * MINUTE);
    }
    const [exhausted] = await deliveries.ofRecipient(pool, tenantId, 'pm-3', 10, null);
    expect(exhausted).toMatchObject({ status: 'failed', failureReason: 'retries-exhausted', attempts: 3, lastReplyCode: 421 });
    expect(smtp.to('pm-3@northwind.example')).toHaveLength(0);
    expect(await deliveredCount(tenantId)).toBe(0);
  });

  it('holds e-mail decided during quiet hours until they end in the reader’s time zone', async () => {
    const tenantId = 'tenant-mail-quiet';
    await person(tenantId, 'pm-4', 'pm-4@northwind.example', 'en-GB', (metadata) => [{ type: 'SetQuietHours', data: { userId: 'pm-4', quietHours: { from: '22:00', to: '07:00' } }, metadata }]);
    // 22:30 in Berlin (CET, UTC+1): quiet until 07:00 local, 06:00 UTC.
    clock.advance(Date.parse('2026-03-04T21:30:00.000Z') - clock.now().getTime());
    await notify(tenantId, riskEvent('Late-night slip', 'critical', '2026-03-04T21:29:00.000Z'));
    const [held] = await deliveries.ofRecipient(pool, tenantId, 'pm-4', 10, null);
    expect(held).toMatchObject({ mode: 'at', dueAt: '2026-03-05T06:00:00.000Z', status: 'scheduled' });

    await scheduler.runDue();
    clock.advance(Date.parse('2026-03-05T05:59:00.000Z') - clock.now().getTime());
    await scheduler.runDue();
    expect(smtp.to('pm-4@northwind.example')).toHaveLength(0);
    clock.advance(MINUTE);
    await scheduler.runDue();
    expect(smtp.to('pm-4@northwind.example')).toHaveLength(1);
  });

  it('collects digest notifications into one e-mail at the digest time, marks them delivered and re-arms', async () => {
    const tenantId = 'tenant-mail-digest';
    clock.advance(Date.parse('2026-03-06T09:00:00.000Z') - clock.now().getTime());
    await person(tenantId, 'pm-5', 'pm-5@northwind.example', 'en-GB', (metadata) => [
      { type: 'SetChannelPreference', data: { userId: 'pm-5', eventType: null, inApp: true, email: 'digest' }, metadata },
      { type: 'SetDigestCadence', data: { userId: 'pm-5', cadence: 'daily', at: '08:00', weekday: null }, metadata },
    ]);
    await notify(tenantId, riskEvent('First digest item', 'medium', '2026-03-06T08:59:00.000Z'));
    clock.advance(MINUTE);
    await notify(tenantId, riskEvent('Second digest item', 'high', '2026-03-06T09:00:00.000Z'));
    // 08:00 in Berlin tomorrow.
    expect((await scheduler.get(tenantId, EMAIL_DIGEST, 'pm-5'))?.dueAt.toISOString()).toBe('2026-03-07T07:00:00.000Z');
    await scheduler.runDue();
    expect(smtp.to('pm-5@northwind.example')).toHaveLength(0);

    clock.advance(Date.parse('2026-03-07T07:00:00.000Z') - clock.now().getTime());
    await scheduler.runDue();
    const mails = smtp.to('pm-5@northwind.example');
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toBe('Your digest of 7 March 2026: 2 notifications');
    expect(mails[0].text).toMatch(/First digest item[\s\S]*Second digest item/);
    expect(mails[0].html).toContain('Second digest item');
    expect((await deliveries.ofRecipient(pool, tenantId, 'pm-5', 10, null)).map((r) => r.status)).toEqual(['sent', 'sent']);
    expect(await deliveredCount(tenantId)).toBe(2);
    const [sent] = await emailEvents(tenantId);
    expect(sent).toMatchObject({ event_type: 'EmailSent', data: { kind: 'digest' } });
    expect(sent.data['notificationIds']).toHaveLength(2);
    expect((await scheduler.get(tenantId, EMAIL_DIGEST, 'pm-5'))?.dueAt.toISOString()).toBe('2026-03-08T07:00:00.000Z');

    // Nothing collected by the next digest time: no e-mail, armed again for the day after.
    clock.advance(24 * 60 * MINUTE);
    await scheduler.runDue();
    expect(smtp.to('pm-5@northwind.example')).toHaveLength(1);
    expect((await scheduler.get(tenantId, EMAIL_DIGEST, 'pm-5'))?.dueAt.toISOString()).toBe('2026-03-09T07:00:00.000Z');

    // Weekly on Mondays at 09:00 from now on: the armed digest moves with the change (Monday 9 March, 08:00 UTC).
    const ctx = requestContext({ sub: 'pm-5', tenantId, roles: ['project-manager'], actor: 'user:pm-5' }, {}, clock);
    const metadata = { now: ctx.now, actor: ctx.principal.actor, tenantId };
    await new ChangePreferencesHandler(writePath, scheduler).execute(
      new ChangePreferencesCommand([{ type: 'SetDigestCadence', data: { userId: 'pm-5', cadence: 'weekly', at: '09:00', weekday: 1 }, metadata }], ctx),
    );
    expect((await scheduler.get(tenantId, EMAIL_DIGEST, 'pm-5'))?.dueAt.toISOString()).toBe('2026-03-09T08:00:00.000Z');
  });

  it('rebuilds the same delivery rows from the log', async () => {
    const rows = async () => (await pool.query('SELECT * FROM notification_email_deliveries ORDER BY tenant_id, notification_id')).rows;
    const before = await rows();
    expect(before.length).toBeGreaterThanOrEqual(7);
    await new InboxReadModel(pool, store).rebuild();
    expect(await rows()).toEqual(before);
  });
});
