// npm run bench:store — the event store against raw `pg` doing the same writes and reads, same PostgreSQL, same run.
// Env: PG_URL (server, default postgres://postgres@127.0.0.1:5432/postgres), BENCH_SCALE (default 1),
// BENCH_WAKE: how appends wake tailing readers (a listener is connected in every mode but `off`):
//   after-commit (default, what the store does): a debounced NOTIFY sent by the appending process after its commit;
//   trigger: a statement-level trigger that NOTIFYs inside every appending transaction (rejected, ADR 0006);
//   off: no notification at all (the store before ADR 0006).
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import {
  APPENDED_CHANNEL,
  AppendListener,
  EVENT_STORE_MIGRATIONS,
  PgEventStore,
  START_OF_LOG,
  createPgPool,
  runMigrations,
} from '@pm/platform/event-store';
import type { Checkpoint, NewEvent } from '@pm/platform/event-store';
import { createTestDatabase } from '@pm/platform/testing';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const SINGLE_EVENTS = Math.round(10_000 * SCALE);
const BATCH_EVENTS = Math.round(50_000 * SCALE);
const STREAM_READ = 5_000;
const IN_FLIGHT = 20;
const WAKE = process.env.BENCH_WAKE ?? 'after-commit';
if (!['after-commit', 'trigger', 'off'].includes(WAKE)) throw new Error(`BENCH_WAKE must be after-commit, trigger or off, not ${WAKE}`);

const NOTIFY_TRIGGER = `
CREATE FUNCTION es_notify_appended() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM pg_notify('${APPENDED_CHANNEL}', ''); RETURN NULL; END $$;
CREATE TRIGGER es_events_appended AFTER INSERT ON es_events FOR EACH STATEMENT EXECUTE FUNCTION es_notify_appended()`;

const RAW_TABLE = `CREATE TABLE raw_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, stream_id text NOT NULL, stream_version bigint NOT NULL,
  event_id uuid NOT NULL, event_type text NOT NULL, tenant_id text NOT NULL, data jsonb NOT NULL, metadata jsonb NOT NULL,
  occurred_at timestamptz NOT NULL)`;
const RAW_INSERT_COLS = 'stream_id, stream_version, event_id, event_type, tenant_id, data, metadata, occurred_at';

function event(i: number): NewEvent {
  return {
    type: 'TaskScheduled',
    data: { taskId: randomUUID(), start: '2026-03-02', finish: '2026-03-13', totalFloat: i % 7, name: `Task ${i}` },
    metadata: {
      eventId: randomUUID(),
      tenantId: 'bench',
      actor: 'user:bench',
      correlationId: randomUUID(),
      causationId: null,
      traceparent: null,
      occurredAt: new Date().toISOString(),
    },
  };
}

function rawRow(stream: string, version: number, e: NewEvent): unknown[] {
  return [stream, version, e.metadata.eventId, e.type, e.metadata.tenantId, JSON.stringify(e.data), JSON.stringify(e.metadata), e.metadata.occurredAt];
}

/** Runs `jobs` with at most `limit` in flight; returns elapsed seconds. */
async function timed(jobs: Array<() => Promise<unknown>>, limit: number): Promise<number> {
  const start = process.hrtime.bigint();
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < jobs.length) await jobs[next++]();
    }),
  );
  return Number(process.hrtime.bigint() - start) / 1e9;
}

interface Row {
  case: string;
  events: number;
  storeRate: number;
  rawRate: number;
  target: string;
}

async function main(): Promise<void> {
  const db = await createTestDatabase('bench_store');
  await runMigrations(db.url, EVENT_STORE_MIGRATIONS);
  const pool: Pool = createPgPool(db.url, { max: IN_FLIGHT + 5 });
  const store = new PgEventStore(pool, { notifyAppends: WAKE === 'after-commit' });
  if (WAKE === 'trigger') await pool.query(NOTIFY_TRIGGER);
  // A relay listens in production; NOTIFY costs the same with or without one, but the test is honest this way.
  let wakeUps = 0;
  const listener = new AppendListener({ pool, onAppended: () => wakeUps++ });
  if (WAKE !== 'off') {
    listener.start();
    const deadline = Date.now() + 10_000;
    while (!listener.listening && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  }
  await pool.query(RAW_TABLE);
  await pool.query('CREATE INDEX raw_events_stream ON raw_events (stream_id, stream_version)');
  const rows: Row[] = [];
  try {
    // 1. Single-event appends, 20 in flight: each writer appends to its own streams with the exact expected version.
    const singleStreams = 1_000;
    const perStream = Math.ceil(SINGLE_EVENTS / singleStreams);
    const storeJobs: Array<() => Promise<unknown>> = [];
    const rawJobs: Array<() => Promise<unknown>> = [];
    for (let v = 0; v < perStream; v++) {
      for (let s = 0; s < singleStreams; s++) {
        const e = event(v);
        storeJobs.push(() => store.append(`single-${s}`, [e], v === 0 ? 'no-stream' : v));
        // Named (prepared once per connection) like the store's own statements: the baseline at its best.
        rawJobs.push(() =>
          pool.query({ name: 'raw_insert_one', text: `INSERT INTO raw_events (${RAW_INSERT_COLS}) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`, values: rawRow(`single-${s}`, v + 1, event(v)) }),
        );
      }
    }
    // Stream v+1 must follow v for the same stream: jobs are ordered version-major, and 20 in flight over
    // 1,000 streams never reaches the same stream twice at once.
    const rawSingle = await timed(rawJobs, IN_FLIGHT);
    const storeSingle = await timed(storeJobs, IN_FLIGHT);
    rows.push({ case: `append 1 event, ${IN_FLIGHT} in flight`, events: storeJobs.length, storeRate: storeJobs.length / storeSingle, rawRate: rawJobs.length / rawSingle, target: '>= 0.7x' });

    // 2. Batches of 100.
    const batches = Math.ceil(BATCH_EVENTS / 100);
    const storeBatchJobs = Array.from({ length: batches }, (_, b) => {
      const events = Array.from({ length: 100 }, (_, i) => event(i));
      return () => store.append(`batch-${b}`, events, 'no-stream');
    });
    const rawBatchJobs = Array.from({ length: batches }, (_, b) => {
      const params: unknown[] = [];
      const values: string[] = [];
      for (let i = 0; i < 100; i++) {
        const r = rawRow(`batch-${b}`, i + 1, event(i));
        values.push(`(${r.map((_, k) => `$${params.length + k + 1}`).join(',')})`);
        params.push(...r);
      }
      const sql = `INSERT INTO raw_events (${RAW_INSERT_COLS}) VALUES ${values.join(',')}`;
      return () => pool.query({ name: 'raw_insert_100', text: sql, values: params });
    });
    const rawBatch = await timed(rawBatchJobs, 4);
    const storeBatch = await timed(storeBatchJobs, 4);
    rows.push({ case: 'append batches of 100, 4 in flight', events: batches * 100, storeRate: (batches * 100) / storeBatch, rawRate: (batches * 100) / rawBatch, target: '>= 0.8x' });

    // 3. Read one 5,000-event stream (written as 50 appends of 100).
    for (let b = 0; b < STREAM_READ / 100; b++) {
      await store.append('long-stream', Array.from({ length: 100 }, (_, i) => event(i)), b * 100);
      const params: unknown[] = [];
      const values: string[] = [];
      for (let i = 0; i < 100; i++) {
        const r = rawRow('long-stream', b * 100 + i + 1, event(i));
        values.push(`(${r.map((_, k) => `$${params.length + k + 1}`).join(',')})`);
        params.push(...r);
      }
      await pool.query(`INSERT INTO raw_events (${RAW_INSERT_COLS}) VALUES ${values.join(',')}`, params);
    }
    const reads = 20;
    let readCount = 0;
    const rawRead = await timed(
      Array.from({ length: reads }, () => async () => {
        const r = await pool.query({ name: 'raw_read_stream', text: `SELECT id, ${RAW_INSERT_COLS} FROM raw_events WHERE stream_id = $1 ORDER BY stream_version`, values: ['long-stream'] });
        if (r.rows.length !== STREAM_READ) throw new Error('raw read short');
      }),
      1,
    );
    const storeRead = await timed(
      Array.from({ length: reads }, () => async () => {
        readCount = (await store.readStream('long-stream')).length;
        if (readCount !== STREAM_READ) throw new Error('store read short');
      }),
      1,
    );
    rows.push({ case: `read one ${STREAM_READ}-event stream`, events: reads * STREAM_READ, storeRate: (reads * STREAM_READ) / storeRead, rawRate: (reads * STREAM_READ) / rawRead, target: '>= 0.8x' });

    // 4. Catch up the whole log from position zero (store: xid8-safe order; raw: keyset pages on id).
    const total = Number((await pool.query<{ n: string }>('SELECT count(*)::text AS n FROM es_events')).rows[0].n);
    const rawTotal = Number((await pool.query<{ n: string }>('SELECT count(*)::text AS n FROM raw_events')).rows[0].n);
    let rawSeen = 0;
    const rawCatchUp = await timed(
      [
        async () => {
          let last = '0';
          for (;;) {
            const r = await pool.query<{ id: string }>({ name: 'raw_page', text: `SELECT id, ${RAW_INSERT_COLS} FROM raw_events WHERE id > $1 ORDER BY id LIMIT 5000`, values: [last] });
            if (!r.rows.length) return;
            rawSeen += r.rows.length;
            last = r.rows[r.rows.length - 1].id;
          }
        },
      ],
      1,
    );
    let seen = 0;
    const ids = new Set<string>();
    const storeCatchUp = await timed(
      [
        async () => {
          let from: Checkpoint = START_OF_LOG;
          for (;;) {
            const batch = await store.readAll(from, 5000);
            if (!batch.length) return;
            for (const e of batch) ids.add(e.eventId);
            seen += batch.length;
            from = batch[batch.length - 1].checkpoint;
          }
        },
      ],
      1,
    );
    if (seen !== total || ids.size !== total) throw new Error(`catch-up saw ${seen} (${ids.size} distinct) of ${total}`);
    if (rawSeen !== rawTotal) throw new Error('raw catch-up short');
    rows.push({ case: 'catch up whole log from zero', events: total, storeRate: total / storeCatchUp, rawRate: rawTotal / rawCatchUp, target: '>= 50,000 ev/s, none missed' });
  } finally {
    await store.notificationsSettled();
    await listener.stop();
    await pool.end();
    await db.drop();
  }

  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  console.log(`\nEvent store vs raw pg — PostgreSQL ${process.env.PG_URL ?? '127.0.0.1:5432'}, Node ${process.version}, scale ${SCALE}`);
  console.log(`wake-ups: ${WAKE}${WAKE === 'off' ? '' : ` (${wakeUps.toLocaleString('en-US')} notifications received)`}`);
  console.log('case'.padEnd(40), 'events'.padStart(8), 'store ev/s'.padStart(12), 'raw ev/s'.padStart(12), 'ratio'.padStart(7), '  target');
  for (const r of rows) {
    console.log(r.case.padEnd(40), fmt(r.events).padStart(8), fmt(r.storeRate).padStart(12), fmt(r.rawRate).padStart(12), `${(r.storeRate / r.rawRate).toFixed(2)}x`.padStart(7), ` ${r.target}`);
  }
  console.log('\nreproduce: npm run bench:store   (BENCH_SCALE=2 for a longer run)');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
