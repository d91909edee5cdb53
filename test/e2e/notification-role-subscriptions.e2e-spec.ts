import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { AppModule as NotificationApp } from '../../apps/notification-service/src/app.module';
import { signDevToken } from '@pm/platform/auth';
import { createTestDatabase } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { startService } from './service-harness';
import type { RunningService } from './service-harness';

const hex = () => randomBytes(4).toString('hex');

/**
 * Who hears what by role (issue 12 point 1): the built-in defaults in force, a tenant's own role subscription started
 * and ended by a pmo-admin, a default ended and staying ended; read by everyone in the tenant, changed by pmo-admins
 * only, invisible to another tenant; hostile input refused as problems.
 */
describe('Notification role subscriptions (e2e)', () => {
  const tenant = `roles-${hex()}`;
  let db: TestDatabase;
  let notify: RunningService;
  let admin: string;
  let member: string;
  let otherAdmin: string;
  const path = '/notification-settings/role-subscriptions';
  const ids = (body: { subscriptions: Array<{ subscriptionId: string }> }) => body.subscriptions.map((s) => s.subscriptionId);

  beforeAll(async () => {
    db = await createTestDatabase('notification_roles_e2e');
    notify = await startService('notification-service', NotificationApp.register({ pgUrl: db.url, consumerGroupId: `notification-roles-e2e-${hex()}` }));
    admin = await signDevToken({ tenant, sub: 'pmo-1', roles: ['pmo-admin'] });
    member = await signDevToken({ tenant, sub: 'tm-1', roles: ['team-member'] });
    otherAdmin = await signDevToken({ tenant: `${tenant}-other`, sub: 'pmo-1', roles: ['pmo-admin'] });
  }, 120_000);

  afterAll(async () => {
    await notify?.close();
    await db?.drop();
  });

  it('shows the built-in defaults to everyone, and lets a pmo-admin add one for a role and end a default', async () => {
    const before = (await request(notify.url).get(path).set('authorization', `Bearer ${member}`).expect(200)).body;
    expect(before.version).toBe(0);
    expect(ids(before)).toEqual(expect.arrayContaining(['default:project-manager:critical-path-slips', 'default:project-manager:high-risks', 'default:resource-manager:over-allocations']));
    expect(before.subscriptions.every((s: { builtIn: boolean }) => s.builtIn)).toBe(true);

    const own = { subscriptionId: 'team-hears-critical-risks', role: 'team-member', scope: { kind: 'own-projects' }, eventTypes: ['pm.risk.RiskAssessed'], minSeverity: 'critical' };
    const started = (await request(notify.url).post(path).set('authorization', `Bearer ${admin}`).send(own).expect(201)).body;
    expect(started.events.map((e: { type: string }) => e.type)).toEqual(['SubscriptionStarted']);
    expect(started.subscriptions).toContainEqual({ ...own, builtIn: false });
    // The same again decides nothing.
    const again = (await request(notify.url).post(path).set('authorization', `Bearer ${admin}`).send(own).expect(201)).body;
    expect(again).toMatchObject({ version: started.version, events: [] });

    const ended = (await request(notify.url).delete(`${path}/default:resource-manager:over-allocations`).set('authorization', `Bearer ${admin}`).expect(200)).body;
    expect(ids(ended)).not.toContain('default:resource-manager:over-allocations');
    expect((await request(notify.url).delete(`${path}/default:resource-manager:over-allocations`).set('authorization', `Bearer ${admin}`).expect(200)).body.events).toEqual([]);
    const removed = (await request(notify.url).delete(`${path}/team-hears-critical-risks`).set('authorization', `Bearer ${admin}`).expect(200)).body;
    expect(ids(removed)).not.toContain('team-hears-critical-risks');
  });

  it('lets only a pmo-admin change them, and keeps each tenant’s apart', async () => {
    const body = { subscriptionId: 'x-1', role: 'viewer', scope: { kind: 'tenant' }, eventTypes: ['pm.planning.*'] };
    const refused = await request(notify.url).post(path).set('authorization', `Bearer ${member}`).send(body).expect(403);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    await request(notify.url).delete(`${path}/default:project-manager:high-risks`).set('authorization', `Bearer ${member}`).expect(403);
    await request(notify.url).post(path).set('authorization', `Bearer ${admin}`).send(body).expect(201);
    const other = (await request(notify.url).get(path).set('authorization', `Bearer ${otherAdmin}`).expect(200)).body;
    expect(ids(other)).not.toContain('x-1');
    expect(ids(other)).toContain('default:resource-manager:over-allocations');
    await request(notify.url).delete(`${path}/x-1`).set('authorization', `Bearer ${otherAdmin}`).expect(404);
  });

  it('refuses hostile input with a problem, never a 500', async () => {
    const base = { subscriptionId: 'ok-1', role: 'viewer', scope: { kind: 'tenant' }, eventTypes: ['pm.risk.*'] };
    const bodies: unknown[] = [
      { ...base, role: 'constructor' },
      { ...base, role: '__proto__' },
      { ...base, subscriptionId: '__proto__' },
      { ...base, subscriptionId: 'a\u0000b' },
      { ...base, subscriptionId: 'default:viewer:mine' },
      { ...base, eventTypes: ['pm.risk.\uD800'] },
      { ...base, eventTypes: Array.from({ length: 51 }, (_, i) => `pm.risk.E${i}`) },
      { ...base, scope: { kind: 'project', projectId: 'not-a-uuid' } },
      { ...base, extra: true },
      JSON.parse('{"__proto__": {"polluted": true}, "subscriptionId": "p-1", "role": "viewer", "scope": {"kind": "tenant"}, "eventTypes": ["pm.risk.*"]}'),
      [base],
    ];
    for (const body of bodies) {
      const res = await request(notify.url).post(path).set('authorization', `Bearer ${admin}`).send(body as object);
      // 400 for a shape the edge refuses, 422 for a rule of the decider (a reserved id).
      expect([400, 422]).toContain(res.status);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.code).toEqual(expect.any(String));
    }
    for (const id of ['constructor', '__proto__', 'no-such-subscription', 'default:viewer:nothing']) {
      const res = await request(notify.url).delete(`${path}/${encodeURIComponent(id)}`).set('authorization', `Bearer ${admin}`);
      expect([404, 400]).toContain(res.status);
    }
    const nul = await request(notify.url).delete(`${path}/a%00b`).set('authorization', `Bearer ${admin}`);
    expect(nul.status).toBe(400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
