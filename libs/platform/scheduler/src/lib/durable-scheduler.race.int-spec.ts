import { spawn } from 'node:child_process';
import * as path from 'node:path';
import type { Pool } from 'pg';
import { createPgPool, runMigrations } from '@pm/platform/event-store';
import { createTestDatabase } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { ManualClock } from './clock';
import { DurableScheduler } from './durable-scheduler';
import { SCHEDULER_MIGRATIONS } from './scheduler.schema';
import type { FireContext, FiredItem } from './scheduler.types';

const repoRoot = path.resolve(__dirname, '../../../../..');
const T0 = new Date('2031-03-01T08:00:00.000Z');

describe('DurableScheduler across replicas and crashes (real PostgreSQL)', () => {
  let db: TestDatabase;
  let pools: Pool[];

  beforeAll(async () => {
    db = await createTestDatabase('scheduler_race');
    await runMigrations(db.url, SCHEDULER_MIGRATIONS);
    pools = [createPgPool(db.url, { max: 6 }), createPgPool(db.url, { max: 6 })];
    await pools[0].query('CREATE TABLE effects (id serial PRIMARY KEY, tenant_id text, kind text, key text, replica int)');
  });
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end()));
    await db.drop();
  });
  beforeEach(async () => {
    await pools[0].query('TRUNCATE scheduler_items, effects');
  });

  it('two instances on two pools racing over 1,000 due items fire each exactly once', async () => {
    const clock = new ManualClock(T0);
    const replicas = pools.map((pool, replica) =>
      new DurableScheduler({ name: `replica-${replica}`, pool, clock, batchSize: 50, perTenantPerRound: 20, concurrency: 4, metrics: false }).register(
        'deadline',
        async (ctx: FireContext) => {
          await ctx.tx.query('INSERT INTO effects (tenant_id, kind, key, replica) VALUES ($1, $2, $3, $4)', [ctx.tenantId, ctx.kind, ctx.key, replica]);
        },
      ),
    );
    await replicas[0].scheduleMany(
      Array.from({ length: 1000 }, (_, i) => ({ tenantId: `tenant-${i % 7}`, kind: 'deadline', key: `item-${i}`, dueAt: new Date(T0.getTime() - i) })),
    );

    const fired: FiredItem[][] = [[], []];
    for (let pass = 0; pass < 20 && (await replicas[0].listDue({ limit: 1 })).length > 0; pass++) {
      const results = await Promise.all(replicas.map((r) => r.runDue()));
      results.forEach((items, i) => fired[i].push(...items.filter((x) => x.outcome === 'fired')));
    }

    const counts = await pools[0].query<{ total: number; distinct_keys: number }>(
      'SELECT count(*)::int AS total, count(DISTINCT (tenant_id, key))::int AS distinct_keys FROM effects',
    );
    expect(counts.rows[0]).toEqual({ total: 1000, distinct_keys: 1000 });
    expect(fired[0].length + fired[1].length).toBe(1000);
    // Both replicas did part of the work: they really raced.
    expect(fired[0].length).toBeGreaterThan(0);
    expect(fired[1].length).toBeGreaterThan(0);
    expect((await pools[0].query('SELECT count(*)::int AS n FROM scheduler_items')).rows[0].n).toBe(0);
  });

  it('an item whose process was killed inside the handler, before COMMIT, fires again on another instance', async () => {
    const survivor = new DurableScheduler({ name: 'survivor', pool: pools[1], clock: new ManualClock(T0), metrics: false }).register(
      'crash-test',
      async (ctx: FireContext) => {
        await ctx.tx.query('INSERT INTO effects (tenant_id, kind, key, replica) VALUES ($1, $2, $3, 1)', [ctx.tenantId, ctx.kind, ctx.key]);
      },
    );
    // Due in the past for both the crashing process (system clock) and the survivor (manual clock).
    await survivor.schedule({ tenantId: 't1', kind: 'crash-test', key: 'c1', dueAt: new Date('2020-01-01T00:00:00Z') });

    const child = spawn(process.execPath, ['-r', '@swc-node/register', path.join(__dirname, '__fixtures__/crashing-scheduler.fixture.ts')], {
      cwd: repoRoot,
      env: { ...process.env, SCHEDULER_DB_URL: db.url },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
    expect(signal).toBe('SIGKILL');
    expect(out).toContain('firing c1');

    expect((await pools[0].query('SELECT count(*)::int AS n FROM effects')).rows[0].n).toBe(0);
    // The killed backend's transaction is rolled back once the server notices the closed socket; until then
    // the row stays locked and the survivor skips it, so retry briefly.
    let outcomes: string[] = [];
    for (let i = 0; i < 50 && !outcomes.includes('fired'); i++) {
      outcomes = (await survivor.runDue()).map((x) => x.outcome);
      if (!outcomes.includes('fired')) await new Promise((r) => setTimeout(r, 100));
    }
    expect(outcomes).toEqual(['fired']);
    expect((await pools[0].query('SELECT key, replica FROM effects')).rows).toEqual([{ key: 'c1', replica: 1 }]);
    expect(await survivor.get('t1', 'crash-test', 'c1')).toBeUndefined();
  });
});
