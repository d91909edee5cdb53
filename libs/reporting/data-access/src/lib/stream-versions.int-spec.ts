import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { Client } from 'pg';
import { createPgPool, runMigrations } from '@pm/platform/event-store';
import { createTestDatabase, waitFor } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { REPORTING_MIGRATIONS } from './reporting.migrations';
import { STREAM_APPLIED_CHANNEL, StreamVersionsWriter, appliedStreamVersions, streamAppliedNotifier } from './stream-versions';

describe('Applied stream versions (real PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;
  const tenant = `tenant-${randomBytes(4).toString('hex')}`;
  const a = `project:${tenant}:a`;
  const b = `schedule:${tenant}:b`;
  const writer = new StreamVersionsWriter();

  async function transaction(notes: readonly [string, string, number][], commit = true): Promise<void> {
    const tx = await pool.connect();
    try {
      await tx.query('BEGIN');
      writer.begin(tx);
      for (const [t, s, v] of notes) writer.note(tx, t, s, v);
      await writer.flush(tx);
      await tx.query(commit ? 'COMMIT' : 'ROLLBACK');
    } finally {
      tx.release();
    }
  }

  beforeAll(async () => {
    db = await createTestDatabase('stream_versions');
    await runMigrations(db.url, REPORTING_MIGRATIONS);
    pool = createPgPool(db.url);
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('keeps the highest version per stream: a batch with several events of a stream, then a stale redelivery', async () => {
    await transaction([
      [tenant, a, 1],
      [tenant, a, 3],
      [tenant, a, 2],
      [tenant, b, 1],
    ]);
    expect(await appliedStreamVersions(pool, tenant, [a, b])).toEqual(new Map([[a, 3], [b, 1]]));
    await transaction([[tenant, a, 2]]);
    expect((await appliedStreamVersions(pool, tenant, [a])).get(a)).toBe(3);
    await transaction([[tenant, a, 4]], false);
    expect((await appliedStreamVersions(pool, tenant, [a])).get(a)).toBe(3);
  });

  it("answers only the tenant's own streams, whatever ids are asked for", async () => {
    await transaction([[`${tenant}-other`, `project:${tenant}-other:a`, 5]]);
    expect(await appliedStreamVersions(pool, tenant, [`project:${tenant}-other:a`, 'constructor', '__proto__'])).toEqual(new Map());
  });

  // The first call sends at once (t1); what is noted while it is in flight goes in one more statement (t2, t1 once).
  it('notifies each tenant once per statement, folding what was noted while one was in flight', async () => {
    const listener = new Client({ connectionString: db.url });
    await listener.connect();
    const heard: string[] = [];
    listener.on('notification', (n) => heard.push(n.payload ?? ''));
    await listener.query(`LISTEN ${STREAM_APPLIED_CHANNEL}`);
    try {
      const notifier = streamAppliedNotifier(pool);
      notifier.notify('t1');
      notifier.notify('t2');
      notifier.notify('t1');
      await notifier.settled();
      await waitFor(async () => heard.length >= 3 || undefined, { timeoutMs: 5_000, what: 'three notifications' });
      await new Promise((r) => setTimeout(r, 100));
      expect([...heard].sort()).toEqual(['t1', 't1', 't2']);
    } finally {
      await listener.end();
    }
  });
});
