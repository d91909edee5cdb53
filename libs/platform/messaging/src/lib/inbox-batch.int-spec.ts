import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { dataSchemaUri } from '@pm/contracts';
import type { CloudEventEnvelope } from '@pm/contracts';
import { createPgPool, runMigrations } from '@pm/platform/event-store';
import { createTestDatabase } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import type { ConsumedEvent } from './consumer.types';
import { FIRST_INBOX_CHUNK, applyInboxBatch } from './inbox-batch';
import type { InboxBatchOptions } from './inbox-batch';
import { MESSAGING_MIGRATIONS } from './messaging.schema';

const consumed = (offset: number, id: string = randomUUID()): ConsumedEvent => {
  const type = 'pm.planning.ProjectCreated';
  const envelope: CloudEventEnvelope = {
    specversion: '1.0',
    id,
    source: '/pm/planning',
    type,
    subject: 'p1',
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    dataschema: dataSchemaUri(type, 1),
    tenantid: 'tenant-inbox',
    streamversion: offset + 1,
    correlationid: randomUUID(),
    causationid: randomUUID(),
    actor: 'user:tester',
    data: { name: `m${offset}` },
  };
  return { envelope, topic: 'pm.planning.events', partition: 0, offset: String(offset) };
};

/** The pool, with every statement of its clients written down (text and rows affected). */
function recordingPool(pool: Pool, log: Array<{ text: string; rows: number }>): Pool {
  return {
    connect: async () => {
      const client = await pool.connect();
      const query = client.query.bind(client) as (...a: unknown[]) => Promise<{ rowCount: number | null }>;
      return Object.assign(Object.create(client) as PoolClient, {
        query: async (...args: unknown[]) => {
          const res = await query(...args);
          const q = args[0] as string | { text: string };
          log.push({ text: typeof q === 'string' ? q : q.text, rows: res.rowCount ?? 0 });
          return res;
        },
        release: (e?: boolean | Error) => client.release(e),
      });
    },
  } as unknown as Pool;
}

describe('applyInboxBatch: inbox rows chunk by chunk (real PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;

  beforeAll(async () => {
    db = await createTestDatabase('inbox_batch');
    await runMigrations(db.url, MESSAGING_MIGRATIONS);
    pool = createPgPool(db.url);
    await pool.query('CREATE TABLE applied (event_id uuid PRIMARY KEY)');
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });
  beforeEach(async () => {
    await pool.query('TRUNCATE inbox, applied');
  });

  const options = (log: Array<{ text: string; rows: number }>, extra: Partial<InboxBatchOptions> = {}): InboxBatchOptions => ({
    pool: recordingPool(pool, log),
    inboxName: 'spec',
    maxTransactionMs: 60_000,
    heartbeat: async () => undefined,
    handler: async (e, tx) => void (await tx.query('INSERT INTO applied (event_id) VALUES ($1)', [e.envelope.id])),
    ...extra,
  });
  const inserts = (log: Array<{ text: string; rows: number }>) => log.filter((s) => s.text.includes('INSERT INTO inbox'));
  const committedInbox = async () => (await pool.query<{ id: string }>('SELECT event_id::text AS id FROM inbox ORDER BY kafka_offset')).rows.map((r) => r.id);

  it('a batch that fits its time bound takes two inbox statements, the first chunk and the rest, and applies each message once', async () => {
    const events = Array.from({ length: 100 }, (_, i) => consumed(i));
    const log: Array<{ text: string; rows: number }> = [];
    const result = await applyInboxBatch(events, options(log));
    expect(result).toEqual({ ok: true, outcomes: events.map(() => 'applied') });
    expect(inserts(log).map((s) => s.rows)).toEqual([FIRST_INBOX_CHUNK, 100 - FIRST_INBOX_CHUNK]);
    expect(log.some((s) => s.text.startsWith('DELETE'))).toBe(false);
    expect(await committedInbox()).toEqual(events.map((e) => e.envelope.id));
  });

  it('a batch cut by its time bound inserted rows only for about what it reached, and commits exactly the applied ones', async () => {
    const events = Array.from({ length: 200 }, (_, i) => consumed(i));
    const log: Array<{ text: string; rows: number }> = [];
    const result = await applyInboxBatch(
      events,
      options(log, {
        maxTransactionMs: 60,
        handler: async (e, tx) => {
          await tx.query('INSERT INTO applied (event_id) VALUES ($1)', [e.envelope.id]);
          await new Promise((r) => setTimeout(r, 5));
        },
      }),
    );
    if (!result.ok) throw result.error;
    const applied = result.outcomes.length;
    // 200 handlers of at least 5 ms cannot fit in 60 ms: the batch was cut.
    expect(applied).toBeLessThan(200);
    const insertedRows = inserts(log).reduce((n, s) => n + s.rows, 0);
    const deletedRows = log.filter((s) => s.text.startsWith('DELETE FROM inbox')).reduce((n, s) => n + s.rows, 0);
    // Before chunking, every one of the 200 rows went in and the unreached ones were deleted again.
    expect(insertedRows - deletedRows).toBe(applied);
    expect(insertedRows).toBeLessThan(100);
    expect(await committedInbox()).toEqual(events.slice(0, applied).map((e) => e.envelope.id));
    expect((await pool.query('SELECT count(*)::int AS n FROM applied')).rows[0].n).toBe(applied);
  });

  it('skips a message already in the inbox and a repeated event id in the batch, across chunks', async () => {
    const seen = consumed(3);
    await applyInboxBatch([seen], options([]));
    const repeated = randomUUID();
    const events = [consumed(0), consumed(1, repeated), consumed(2), { ...seen, offset: '3' }, ...Array.from({ length: 10 }, (_, i) => consumed(4 + i)), consumed(14, repeated)];
    const result = await applyInboxBatch(events, options([]));
    if (!result.ok) throw result.error;
    expect(result.outcomes.map((o, i) => (o === 'duplicate' ? i : -1)).filter((i) => i >= 0)).toEqual([3, 14]);
    expect((await pool.query('SELECT count(*)::int AS n FROM applied')).rows[0].n).toBe(1 + 13);
  });

  it('rolls the whole batch back, its chunks of inbox rows with it, when a handler in a later chunk throws', async () => {
    const events = Array.from({ length: 30 }, (_, i) => consumed(i));
    const result = await applyInboxBatch(
      events,
      options([], {
        handler: async (e, tx) => {
          if (e.offset === '20') throw new Error('poison');
          await tx.query('INSERT INTO applied (event_id) VALUES ($1)', [e.envelope.id]);
        },
      }),
    );
    expect(result).toMatchObject({ ok: false, failedAt: 20 });
    expect(await committedInbox()).toEqual([]);
    expect((await pool.query('SELECT count(*)::int AS n FROM applied')).rows[0].n).toBe(0);
  });
});
