import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import request from 'supertest';
import { AppModule as NotificationApp } from '../../apps/notification-service/src/app.module';
import { signDevToken } from '@pm/platform/auth';
import { createPgPool } from '@pm/platform/event-store';
import { createTestDatabase } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { startService } from './service-harness';
import type { RunningService } from './service-harness';

const hex = () => randomBytes(4).toString('hex');

/** The e-mail routes over HTTP (ADR 0402): the tenant's sender (pmo-admin only, hostile input refused as problems), my deliveries, the address learnt from my token. */
describe('Notification e-mail routes (e2e)', () => {
  const tenant = `mail-${hex()}`;
  let db: TestDatabase;
  let pool: Pool;
  let notify: RunningService;
  let admin: string;
  let member: string;

  beforeAll(async () => {
    db = await createTestDatabase('notification_email_e2e');
    notify = await startService('notification-service', NotificationApp.register({ pgUrl: db.url, consumerGroupId: `notification-email-e2e-${hex()}` }));
    pool = createPgPool(db.url, { max: 2 });
    admin = await signDevToken({ tenant, sub: 'pmo-1', roles: ['pmo-admin'] });
    member = await signDevToken({ tenant, sub: 'tm-1', roles: ['team-member'], email: 'tm-1@northwind.example', locale: 'de-DE' });
  }, 120_000);

  afterAll(async () => {
    await pool?.end();
    await notify?.close();
    await db?.drop();
  });

  const sender = { fromName: 'Northwind PMO', fromAddress: 'pmo@northwind.example', replyTo: 'desk@northwind.example' };

  it('lets a pmo-admin set the tenant’s sender and everyone read it', async () => {
    const before = await request(notify.url).get('/notification-settings/email-sender').set('authorization', `Bearer ${member}`).expect(200);
    expect(before.body).toMatchObject({ custom: false, sender: { fromAddress: 'notifications@pm.localhost' } });
    const set = await request(notify.url).put('/notification-settings/email-sender').set('authorization', `Bearer ${admin}`).send(sender).expect(200);
    expect(set.body.events).toEqual([expect.objectContaining({ type: 'EmailSenderSet' })]);
    const again = await request(notify.url).put('/notification-settings/email-sender').set('authorization', `Bearer ${admin}`).send(sender).expect(200);
    expect(again.body.events).toEqual([]);
    expect((await request(notify.url).get('/notification-settings/email-sender').set('authorization', `Bearer ${member}`).expect(200)).body).toMatchObject({ custom: true, sender });
    await request(notify.url).put('/notification-settings/email-sender').set('authorization', `Bearer ${member}`).send(sender).expect(403);
  });

  it('refuses hostile senders with a 400 problem', async () => {
    const hostile = [
      { ...sender, fromName: 'PMO\r\nBcc: everyone@example.com' },
      { ...sender, fromAddress: 'Eve <eve@example.com>' },
      { ...sender, replyTo: 'x@y.example\nBcc: z@w.example' },
      { ...sender, fromName: 'x'.repeat(101) },
      { ...sender, fromName: 'nul\u0000byte' },
      { ...sender, constructor: 'x' },
      { fromName: 'Only a name' },
      [],
    ];
    for (const body of hostile) {
      const res = await request(notify.url).put('/notification-settings/email-sender').set('authorization', `Bearer ${admin}`).send(body);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(typeof res.body.code).toBe('string');
    }
  });

  it('learns my address and locale from my token, and lists my e-mail deliveries', async () => {
    await request(notify.url).put('/me/preferences').set('authorization', `Bearer ${member}`).send({ timeZone: 'Europe/Berlin' }).expect(200);
    const { rows } = await pool.query('SELECT email, locale FROM notification_recipients WHERE tenant_id = $1 AND user_id = $2', [tenant, 'tm-1']);
    expect(rows).toEqual([{ email: 'tm-1@northwind.example', locale: 'de-DE' }]);
    const list = await request(notify.url).get('/me/email-deliveries?limit=10').set('authorization', `Bearer ${member}`).expect(200);
    expect(list.body).toEqual({ items: [], page: { limit: 10, next: null } });
    await request(notify.url).get('/me/email-deliveries?limit=0').set('authorization', `Bearer ${member}`).expect(400);
    await request(notify.url).get('/me/email-deliveries?before=yesterday').set('authorization', `Bearer ${member}`).expect(400);
  });
});
