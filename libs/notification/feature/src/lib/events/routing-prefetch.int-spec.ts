import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { NOTIFICATION_MIGRATIONS, NotificationDirectory } from '@pm/notification/data-access';
import { escalationChainAggregate, escalationChainStreamId, userPreferencesAggregate, userPreferencesStreamId } from '@pm/notification/domain';
import type { IncomingEvent } from '@pm/notification/domain';
import { PgEventStore, WritePath, createPgPool, runMigrations } from '@pm/platform/event-store';
import { ManualClock, systemContext } from '@pm/platform/request-context';
import { createTestDatabase } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { NotificationRecipients, RoutingMemo, chainKey } from './notification-recipients';

const SERVICE = 'notification-service';
const P1 = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const P2 = '9b2d0c6e-5f4a-4c1b-8e7d-3a6f1b2c4d5e';

/**
 * A consumer batch reads what routing needs before its first handler (ADR 0401 amendment): every event of the batch then
 * routes without a statement of its own, to the routes it gets when it reads everything itself.
 */
describe('Routing read ahead for a batch (real PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let writePath: WritePath;
  let statements = 0;
  const clock = new ManualClock('2026-03-04T06:00:30.000Z');
  const directory = new NotificationDirectory();

  /** The pool and a client of it, counting every statement sent through either. */
  const counted = <T extends object>(target: T): T =>
    new Proxy(target, {
      get: (t, key) => {
        const value = Reflect.get(t, key, t) as unknown;
        if (key !== 'query' || typeof value !== 'function') return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(t) : value;
        return (...args: unknown[]) => {
          statements++;
          return (value as (...a: unknown[]) => unknown).apply(t, args);
        };
      },
    });

  beforeAll(async () => {
    db = await createTestDatabase('notification_prefetch');
    await runMigrations(db.url, NOTIFICATION_MIGRATIONS);
    pool = createPgPool(db.url, { max: 8 });
    writePath = new WritePath(new PgEventStore(counted(pool)));
    for (const tenantId of ['t-a', 't-b']) {
      const ctx = systemContext(SERVICE, tenantId, undefined, clock);
      const metadata = { now: ctx.now, actor: 'user:pmo', tenantId };
      await directory.assign(pool, tenantId, 'pm-1', 'project-manager', P1, 'planning');
      await directory.assign(pool, tenantId, 'pm-2', 'project-manager', P2, 'planning');
      await directory.rememberToken(pool, tenantId, 'pmo', ['pmo-admin']);
      for (const userId of ['pm-1', 'pm-2', 'pmo']) {
        await writePath.handle(ctx, userPreferencesAggregate, userPreferencesStreamId(tenantId, userId), [
          { type: 'StartUserSubscription', data: { userId, subscriptionId: 'risks', scope: { kind: 'tenant' }, eventTypes: ['pm.risk.*'], minSeverity: 'low' }, metadata: { ...metadata, actor: `user:${userId}` } },
        ]);
        await directory.subscribed(pool, tenantId, userId, 'risks', true);
      }
      await writePath.handle(ctx, escalationChainAggregate, escalationChainStreamId(tenantId, P1), { type: 'DefineEscalationChain', data: { projectId: P1, chain: ['pm-1', 'pmo'] }, metadata });
    }
  });

  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  const event = (projectId: string | null, severity: IncomingEvent['severity']): IncomingEvent => ({
    eventId: randomUUID(),
    type: 'pm.risk.RiskAssessed',
    severity,
    projectId,
    subject: { kind: 'risk', id: randomUUID(), projectId },
    title: `Risk in ${projectId ?? 'the portfolio'}`,
    occurredAt: '2026-03-04T06:00:00.000Z',
    actor: 'user:someone-else',
  });

  it('routes every event of the batch from what it read ahead, to the same routes, with no statement of its own', async () => {
    const batch = [
      { tenantId: 't-a', event: event(P1, 'critical') },
      { tenantId: 't-a', event: event(P2, 'high') },
      { tenantId: 't-b', event: event(P1, 'critical') },
      { tenantId: 't-b', event: event(null, 'medium') },
      { tenantId: 't-a', event: event(P1, 'low') },
    ];
    const recipients = new NotificationRecipients(writePath);
    const client: PoolClient = await pool.connect();
    try {
      const tx = counted(client);
      const alone = [];
      for (const { tenantId, event: e } of batch) alone.push(await recipients.routesFor(tx, systemContext(SERVICE, tenantId, undefined, clock), e));

      const memo = new RoutingMemo();
      statements = 0;
      await recipients.prefetch(tx, batch, memo);
      const ahead = statements;
      statements = 0;
      const routed = [];
      for (const { tenantId, event: e } of batch) routed.push(await recipients.routesFor(tx, systemContext(SERVICE, tenantId, undefined, clock), e, memo));

      expect(statements).toBe(0);
      // One directory read for the five events; per tenant its people's preferences, its settings and its chains.
      expect(ahead).toBeLessThanOrEqual(1 + 2 * 3);
      expect(routed.map((r) => r.routes)).toEqual(alone.map((r) => r.routes));
      expect(routed.flatMap((r) => r.routes).length).toBeGreaterThan(0);
      expect((await memo.chains.get(chainKey('t-a', P1)))?.chain).toEqual(['pm-1', 'pmo']);
    } finally {
      client.release();
    }
  });
});
