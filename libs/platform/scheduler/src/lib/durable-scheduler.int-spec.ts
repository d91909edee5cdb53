import type { Pool } from 'pg';
import { createPgPool, runMigrations } from '@pm/platform/event-store';
import { metricsRegistry } from '@pm/platform/observability';
import { createTestDatabase, waitFor } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { ManualClock, systemClock } from './clock';
import { DurableScheduler } from './durable-scheduler';
import type { DurableSchedulerOptions } from './durable-scheduler';
import { InvalidScheduleRequest } from './scheduler.errors';
import { SCHEDULER_MIGRATIONS } from './scheduler.schema';
import type { FireContext } from './scheduler.types';

const T0 = new Date('2031-03-01T08:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('DurableScheduler (real PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let clock: ManualClock;
  const schedulers: DurableScheduler[] = [];

  /** The handler's effect, written in the firing transaction: counting these counts committed firings. */
  const recordEffect = async (ctx: FireContext) => {
    await ctx.tx.query('INSERT INTO effects (tenant_id, kind, key, attempt) VALUES ($1, $2, $3, $4)', [ctx.tenantId, ctx.kind, ctx.key, ctx.attempt]);
  };
  const effects = async (key?: string) =>
    (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM effects WHERE $1::text IS NULL OR key = $1', [key ?? null])).rows[0].n;

  function scheduler(options: Partial<DurableSchedulerOptions> = {}): DurableScheduler {
    const s = new DurableScheduler({ name: 'test', pool, clock, retry: { jitter: 0 }, ...options });
    schedulers.push(s);
    return s;
  }

  beforeAll(async () => {
    db = await createTestDatabase('scheduler');
    await runMigrations(db.url, SCHEDULER_MIGRATIONS);
    pool = createPgPool(db.url);
    await pool.query('CREATE TABLE effects (id serial PRIMARY KEY, tenant_id text, kind text, key text, attempt int)');
  });
  beforeEach(async () => {
    clock = new ManualClock(T0);
    await pool.query('TRUNCATE scheduler_items, effects');
  });
  afterEach(async () => {
    await Promise.all(schedulers.splice(0).map((s) => s.stop()));
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('fires an item once its due time has come, not before, and removes it', async () => {
    const s = scheduler().register('review-due', recordEffect);
    await s.schedule({ tenantId: 't1', kind: 'review-due', key: 'risk-1', dueAt: at(10 * MINUTE), payload: { riskId: 'risk-1' } });
    expect(await s.runDue()).toEqual([]);
    clock.advance(10 * MINUTE - 1);
    expect(await s.runDue()).toEqual([]);
    clock.advance(1);
    expect(await s.runDue()).toEqual([{ tenantId: 't1', kind: 'review-due', key: 'risk-1', outcome: 'fired' }]);
    expect(await effects('risk-1')).toBe(1);
    expect(await s.get('t1', 'review-due', 'risk-1')).toBeUndefined();
    clock.advance(MINUTE);
    expect(await s.runDue()).toEqual([]);
    expect(await effects()).toBe(1);
  });

  it('claims an item without writing: a handler waiting on the outside world holds back no reader of the log', async () => {
    // An xid8-ordered reader (relay, store projections) waits for every transaction that has an xid; a handler that
    // talks to an SMTP server or a webhook receiver before it writes must not have one yet.
    const seen: Array<string | null> = [];
    const s = scheduler().register('email-due', async (ctx) => {
      seen.push((await ctx.tx.query<{ xid: string | null }>('SELECT pg_current_xact_id_if_assigned()::text AS xid')).rows[0].xid);
      await recordEffect(ctx);
    });
    await s.schedule({ tenantId: 't1', kind: 'email-due', key: 'e1', dueAt: at(0), payload: {} });
    // Another replica firing the same item at the same moment is refused while the first holds its claim.
    const other = scheduler().register('email-due', recordEffect);
    const held = await pool.connect();
    try {
      await held.query('BEGIN');
      await held.query(`SELECT pg_advisory_xact_lock(${0x5343_4844}, hashtext('t1/email-due/e1'))`);
      expect(await other.runDue()).toEqual([{ tenantId: 't1', kind: 'email-due', key: 'e1', outcome: 'skipped' }]);
    } finally {
      await held.query('ROLLBACK');
      held.release();
    }
    expect(await s.runDue()).toEqual([{ tenantId: 't1', kind: 'email-due', key: 'e1', outcome: 'fired' }]);
    expect(seen).toEqual([null]);
    expect(await effects('e1')).toBe(1);
  });

  it('fires a tenant\'s due items of a batch kind together, in one transaction, and a failing batch item by item', async () => {
    const batches: string[][] = [];
    const s = scheduler().registerBatch('email-due', async (fires) => {
      batches.push(fires.map((f) => `${f.tenantId}/${f.key}`));
      // The batch shares one transaction: one xid for all of it once it writes.
      expect(new Set(fires.map((f) => f.tx)).size).toBe(1);
      for (const f of fires) {
        if (f.key === 'poison') throw new Error('this item breaks its batch');
        await recordEffect(f);
      }
      return fires.map((f) => (f.key === 'again' ? { nextDueAt: at(HOUR) } : undefined));
    });
    const keys = ['a', 'b', 'again'];
    await s.scheduleMany([...keys.map((key) => ({ tenantId: 't1', kind: 'email-due', key, dueAt: at(0) })), { tenantId: 't2', kind: 'email-due', key: 'c', dueAt: at(0) }]);
    const fired = await s.runDue();
    expect(batches.map((b) => b.sort())).toEqual(expect.arrayContaining([['t1/a', 't1/again', 't1/b'], ['t2/c']]));
    expect(fired.map((f) => [f.key, f.outcome]).sort()).toEqual([['a', 'fired'], ['again', 'rescheduled'], ['b', 'fired'], ['c', 'fired']]);
    expect(await effects()).toBe(4);
    expect((await s.get('t1', 'email-due', 'again'))?.dueAt).toEqual(at(HOUR));

    // A batch whose handler throws is rolled back whole, then each item fires alone: the good one once, the bad one retries.
    batches.length = 0;
    await s.scheduleMany(['d', 'poison'].map((key) => ({ tenantId: 't1', kind: 'email-due', key, dueAt: at(0) })));
    const second = await s.runDue();
    expect(second.map((f) => [f.key, f.outcome]).sort()).toEqual([['d', 'fired'], ['poison', 'retry']]);
    expect(batches.map((b) => b.length).sort()).toEqual([1, 1, 2]);
    expect(await effects('d')).toBe(1);
    expect(await effects('poison')).toBe(0);
  });

  it('hands the handler its payload, due time and attempt', async () => {
    const seen: unknown[] = [];
    const s = scheduler().register('digest', async (ctx) => void seen.push({ payload: ctx.payload, dueAt: ctx.dueAt, firedAt: ctx.firedAt, attempt: ctx.attempt }));
    await s.schedule({ tenantId: 't1', kind: 'digest', key: 'user-1', dueAt: at(0), payload: { userId: 'user-1', period: 'daily' } });
    clock.advance(5_000);
    await s.runDue();
    expect(seen).toEqual([{ payload: { userId: 'user-1', period: 'daily' }, dueAt: at(0), firedAt: at(5_000), attempt: 1 }]);
  });

  it('reschedules idempotently by key (the last call wins) and cancels by key', async () => {
    const s = scheduler().register('action-due', recordEffect);
    await s.schedule({ tenantId: 't1', kind: 'action-due', key: 'a1', dueAt: at(MINUTE), payload: 1 });
    await s.schedule({ tenantId: 't1', kind: 'action-due', key: 'a1', dueAt: at(3 * MINUTE), payload: 2 });
    await s.schedule({ tenantId: 't2', kind: 'action-due', key: 'a1', dueAt: at(MINUTE) });
    await s.schedule({ tenantId: 't1', kind: 'action-due', key: 'a2', dueAt: at(MINUTE) });
    expect(await s.list({ tenantId: 't1' })).toEqual([
      expect.objectContaining({ key: 'a2', dueAt: at(MINUTE) }),
      expect.objectContaining({ key: 'a1', dueAt: at(3 * MINUTE), payload: 2, state: 'pending', attempts: 0 }),
    ]);
    expect(await s.cancel('t1', 'action-due', 'a2')).toBe(true);
    expect(await s.cancel('t1', 'action-due', 'a2')).toBe(false);
    clock.advance(MINUTE);
    expect((await s.runDue()).map((i) => `${i.tenantId}/${i.key}`)).toEqual(['t2/a1']);
    clock.advance(2 * MINUTE);
    expect((await s.runDue()).map((i) => `${i.tenantId}/${i.key}`)).toEqual(['t1/a1']);
    expect(await effects()).toBe(2);
  });

  it('lists the overdue backlog for diagnostics and refuses ids it cannot store', async () => {
    const s = scheduler().register('k', recordEffect);
    await s.scheduleMany([
      { tenantId: 't1', kind: 'k', key: 'late', dueAt: at(-MINUTE) },
      { tenantId: 't1', kind: 'k', key: 'later', dueAt: at(MINUTE) },
      { tenantId: 't1', kind: 'unhandled', key: 'x', dueAt: at(-2 * MINUTE) },
    ]);
    expect((await s.listDue()).map((i) => i.key)).toEqual(['x', 'late']);
    expect(await s.backlog()).toEqual(expect.arrayContaining([{ kind: 'k', due: 1, failed: 0 }, { kind: 'unhandled', due: 1, failed: 0 }]));
    // A replica only fires kinds it has a handler for.
    expect((await s.runDue()).map((i) => i.key)).toEqual(['late']);
    await expect(s.schedule({ tenantId: 't\u0000', kind: 'k', key: 'x', dueAt: at(0) })).rejects.toBeInstanceOf(InvalidScheduleRequest);
    await expect(s.schedule({ tenantId: 't1', kind: 'k', key: 'x'.repeat(201), dueAt: at(0) })).rejects.toBeInstanceOf(InvalidScheduleRequest);
    await expect(s.schedule({ tenantId: 't1', kind: 'k', key: 'x', dueAt: new Date('nope') })).rejects.toBeInstanceOf(InvalidScheduleRequest);
  });

  it('retries a failing handler with exponential backoff, rolling back its writes, then parks it as failed', async () => {
    let failures = 0;
    const s = scheduler().register(
      'escalate',
      async (ctx) => {
        await recordEffect(ctx);
        failures++;
        throw Object.assign(new Error(`mail relay refused (${failures})`), { code: 'RELAY_REFUSED' });
      },
      { maxAttempts: 3, baseMs: 1_000, maxMs: 60_000 },
    );
    await s.schedule({ tenantId: 't1', kind: 'escalate', key: 'inc-7', dueAt: at(0) });
    expect((await s.runDue()).map((i) => i.outcome)).toEqual(['retry']);
    expect(await s.get('t1', 'escalate', 'inc-7')).toMatchObject({
      state: 'pending',
      attempts: 1,
      dueAt: at(1_000),
      lastError: { code: 'RELAY_REFUSED', message: 'mail relay refused (1)', at: at(0) },
    });
    clock.advance(999);
    expect(await s.runDue()).toEqual([]);
    clock.advance(1);
    expect((await s.runDue()).map((i) => i.outcome)).toEqual(['retry']);
    expect(await s.get('t1', 'escalate', 'inc-7')).toMatchObject({ attempts: 2, dueAt: at(3_000) });
    clock.advance(2_000);
    expect((await s.runDue()).map((i) => i.outcome)).toEqual(['failed']);
    expect(await s.get('t1', 'escalate', 'inc-7')).toMatchObject({ state: 'failed', attempts: 3, lastError: expect.objectContaining({ code: 'RELAY_REFUSED' }) });
    expect(await effects()).toBe(0);
    expect(await s.list({ state: 'failed' })).toHaveLength(1);
    clock.advance(60 * MINUTE);
    expect(await s.runDue()).toEqual([]);
    // Scheduling the key again revives it.
    await s.schedule({ tenantId: 't1', kind: 'escalate', key: 'inc-7', dueAt: clock.now() });
    expect(await s.get('t1', 'escalate', 'inc-7')).toMatchObject({ state: 'pending', attempts: 0, lastError: null });
  });

  it('succeeds on a later attempt after failures', async () => {
    let calls = 0;
    const s = scheduler().register('flaky', async (ctx) => {
      if (++calls < 3) throw new Error('not yet');
      await recordEffect(ctx);
    });
    await s.schedule({ tenantId: 't1', kind: 'flaky', key: 'f', dueAt: at(0) });
    await s.runDue();
    clock.advance(1_000);
    await s.runDue();
    clock.advance(2_000);
    expect((await s.runDue()).map((i) => i.outcome)).toEqual(['fired']);
    expect((await pool.query('SELECT attempt FROM effects')).rows).toEqual([{ attempt: 3 }]);
  });

  it('fires a recurring item at each next due time the handler returns', async () => {
    const DAY = 24 * 60 * MINUTE;
    const s = scheduler().register('daily-digest', async (ctx) => {
      await recordEffect(ctx);
      return { nextDueAt: new Date(ctx.dueAt.getTime() + DAY), payload: { sent: ((ctx.payload as { sent: number }).sent ?? 0) + 1 } };
    });
    await s.schedule({ tenantId: 't1', kind: 'daily-digest', key: 'user-1', dueAt: at(0), payload: { sent: 0 } });
    for (let day = 0; day < 3; day++) {
      expect((await s.runDue()).map((i) => i.outcome)).toEqual(['rescheduled']);
      expect(await s.runDue()).toEqual([]);
      clock.advance(DAY);
    }
    expect(await effects('user-1')).toBe(3);
    expect(await s.get('t1', 'daily-digest', 'user-1')).toMatchObject({ dueAt: at(3 * DAY), payload: { sent: 3 } });
  });

  it('refuses a recurrence that does not move forward (it would fire in every round)', async () => {
    const s = scheduler().register('stuck', async (ctx) => ({ nextDueAt: ctx.dueAt }), { maxAttempts: 1 });
    await s.schedule({ tenantId: 't1', kind: 'stuck', key: 'x', dueAt: at(0) });
    expect((await s.runDue()).map((i) => i.outcome)).toEqual(['failed']);
    expect(await s.get('t1', 'stuck', 'x')).toMatchObject({ state: 'failed', lastError: expect.objectContaining({ code: 'RECURRENCE_NOT_IN_FUTURE' }) });
  });

  it('keeps a key the handler rescheduled in its own transaction (escalate again later)', async () => {
    const s = scheduler().register('ack-timeout', async (ctx) => {
      await recordEffect(ctx);
      if (ctx.attempt === 1 && (ctx.payload as { level: number }).level < 2) {
        await s.schedule({ tenantId: ctx.tenantId, kind: ctx.kind, key: ctx.key, dueAt: new Date(ctx.firedAt.getTime() + 15 * MINUTE), payload: { level: 2 } }, { tx: ctx.tx });
      }
    });
    await s.schedule({ tenantId: 't1', kind: 'ack-timeout', key: 'n-1', dueAt: at(0), payload: { level: 1 } });
    await s.runDue();
    expect(await s.get('t1', 'ack-timeout', 'n-1')).toMatchObject({ dueAt: at(15 * MINUTE), payload: { level: 2 } });
    clock.advance(15 * MINUTE);
    await s.runDue();
    expect(await s.get('t1', 'ack-timeout', 'n-1')).toBeUndefined();
    expect(await effects('n-1')).toBe(2);
  });

  it('re-fires an item whose connection died before COMMIT (the effect is rolled back with it)', async () => {
    let calls = 0;
    const s = scheduler().register('deadline', async (ctx) => {
      await recordEffect(ctx);
      // The server ends this backend mid-transaction: like the process dying before COMMIT.
      if (++calls === 1) await ctx.tx.query('SELECT pg_terminate_backend(pg_backend_pid())');
    });
    await s.schedule({ tenantId: 't1', kind: 'deadline', key: 'd1', dueAt: at(0) });
    await expect(s.runDue()).rejects.toThrow();
    expect(await effects()).toBe(0);
    // Not counted as a failed attempt: nothing about the item changed.
    expect(await s.get('t1', 'deadline', 'd1')).toMatchObject({ state: 'pending', attempts: 0 });
    expect((await s.runDue()).map((i) => i.outcome)).toEqual(['fired']);
    expect(await effects()).toBe(1);
  });

  it('takes at most a per-tenant share of a round, so one tenant with 10,000 due items does not delay another', async () => {
    const s = scheduler({ batchSize: 100, perTenantPerRound: 10 }).register('reminder', recordEffect);
    for (let chunk = 0; chunk < 10; chunk++) {
      await s.scheduleMany(
        Array.from({ length: 1000 }, (_, i) => ({ tenantId: 'big', kind: 'reminder', key: `r-${chunk * 1000 + i}`, dueAt: at(-60 * MINUTE + chunk * 1000 + i) })),
      );
    }
    // Due last of all, after every one of the big tenant's items.
    await s.schedule({ tenantId: 'small', kind: 'reminder', key: 'only', dueAt: at(0) });
    const round = await s.runRound();
    expect(round.claimed).toBe(11);
    expect(round.items.filter((i) => i.tenantId === 'small').map((i) => i.outcome)).toEqual(['fired']);
    expect(round.items.filter((i) => i.tenantId === 'big')).toHaveLength(10);
    // The big tenant's own items still fire oldest first.
    expect((await pool.query('SELECT key FROM effects WHERE tenant_id = $1 ORDER BY key', ['big'])).rows.map((r) => r.key)).toEqual(
      ['r-0', 'r-1', 'r-2', 'r-3', 'r-4', 'r-5', 'r-6', 'r-7', 'r-8', 'r-9'],
    );
    expect(await s.backlog()).toEqual([{ kind: 'reminder', due: 9990, failed: 0 }]);
  });

  it('exports fired, failure, lag and backlog metrics', async () => {
    const s = scheduler({ name: 'metrics-test' }).register('m', recordEffect);
    s.start();
    await s.scheduleMany([
      { tenantId: 't1', kind: 'm', key: 'a', dueAt: at(-2_000) },
      { tenantId: 't1', kind: 'm', key: 'b', dueAt: at(MINUTE) },
    ]);
    await waitFor(async () => (await effects()) === 1, { what: 'the overdue item fired' });
    clock.advance(2 * MINUTE);
    const text = await metricsRegistry.metrics();
    expect(text).toMatch(/pm_scheduler_fired_total\{scheduler="metrics-test",kind="m"\} 1/);
    expect(text).toMatch(/pm_scheduler_fire_lag_seconds_count\{scheduler="metrics-test",kind="m"\} 1/);
    expect(text).toMatch(/pm_scheduler_due_items\{scheduler="metrics-test",kind="m"\} 1/);
  });

  describe('the background loop (system clock)', () => {
    it('sleeps until the next due time rather than the poll interval', async () => {
      const s = scheduler({ clock: systemClock, pollIntervalMs: 60_000 }).register('soon', recordEffect);
      await s.schedule({ tenantId: 't1', kind: 'soon', key: 'x', dueAt: new Date(Date.now() + 300) });
      const started = Date.now();
      s.start();
      await waitFor(async () => (await effects('x')) === 1, { timeoutMs: 5_000, intervalMs: 20, what: 'the item fired' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    });

    it('is woken by a schedule call of the same process whose due time is earlier than its plan', async () => {
      const s = scheduler({ clock: systemClock, pollIntervalMs: 60_000 }).register('soon', recordEffect);
      await s.schedule({ tenantId: 't1', kind: 'soon', key: 'far', dueAt: new Date(Date.now() + 3_600_000) });
      s.start();
      await new Promise((r) => setTimeout(r, 200));
      await s.schedule({ tenantId: 't1', kind: 'soon', key: 'near', dueAt: new Date(Date.now() + 200) });
      await waitFor(async () => (await effects('near')) === 1, { timeoutMs: 5_000, intervalMs: 20, what: 'the earlier item fired' });
      expect(await effects('far')).toBe(0);
    });
  });
});
