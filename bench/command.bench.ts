/*
 * `npm run bench:command`: the whole write path of a command (load from snapshot + tail, decide, conclude, validate
 * every event against its contract, append with the expected version) against a raw append of the same events to a
 * fresh stream of the same store, same PostgreSQL, same run.
 *   - short stream: renaming projects (one ProjectRenamed per command), 20 streams in flight;
 *   - a 2,000-task plan's stream: re-estimating a leaf task (moves a handful of tasks) and the first task (moves the
 *     whole plan), one command at a time, with the schedule's snapshot policy.
 * Env: PG_URL (server), BENCH_SCALE (default 1), SNAPSHOT_EVERY (default: each aggregate's own, 100).
 */
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { projectAggregate, projectStreamId, scheduleAggregate, scheduleStreamId, toProjectId, toTaskId } from '@pm/planning/domain';
import type { ScheduleCommand } from '@pm/planning/domain';
import { EVENT_STORE_MIGRATIONS, PgEventStore, WritePath, createPgPool, metadataFor, runMigrations, validateEvent } from '@pm/platform/event-store';
import type { NewEvent } from '@pm/platform/event-store';
import type { RequestContext } from '@pm/platform/request-context';
import { createTestDatabase } from '@pm/platform/testing';
import type { DomainEvent } from '@pm/shared/ddd';
import { BENCH_PROJECT_ID, importEvents } from './plan-events';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const SNAPSHOT_EVERY = process.env.SNAPSHOT_EVERY ? Number(process.env.SNAPSHOT_EVERY) : undefined;
const TENANT = 'bench';

const ctx = (): RequestContext => ({
  principal: { sub: 'bench', tenantId: TENANT, roles: ['pmo-admin'], actor: 'user:bench' },
  now: new Date().toISOString(),
  commandId: randomUUID(),
  correlationId: randomUUID(),
  causationId: randomUUID(),
  traceparent: null,
});
const meta = { now: new Date().toISOString(), actor: 'user:bench', tenantId: TENANT };

/** The same events as the write path stores them (validated data, registry version, metadata). */
const asStored = (events: readonly DomainEvent[]): NewEvent[] =>
  events.map((e) => ({ type: e.type, ...validateEvent('planning', e), metadata: metadataFor(ctx()) }));

async function inFlight(jobs: Array<() => Promise<unknown>>, limit: number): Promise<number> {
  const start = process.hrtime.bigint();
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < jobs.length) await jobs[next++]();
  }));
  return Number(process.hrtime.bigint() - start) / 1e9;
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

async function shortStreams(writePath: WritePath, store: PgEventStore): Promise<string> {
  const streams = 20;
  const perStream = Math.max(5, Math.round(50 * SCALE));
  const ids = Array.from({ length: streams }, () => randomUUID());
  for (const id of ids) {
    await writePath.handle(ctx(), projectAggregate, projectStreamId(TENANT, id), { type: 'CreateProject', data: { projectId: toProjectId(id), name: 'P0' }, metadata: meta });
  }
  // One job chain per stream, so commands of a stream never race each other (neither side measures retries).
  const writeSeconds = await inFlight(
    ids.map((id) => async () => {
      for (let i = 1; i <= perStream; i++) {
        await writePath.handle(ctx(), projectAggregate, projectStreamId(TENANT, id), { type: 'RenameProject', data: { projectId: toProjectId(id), name: `P${i}` }, metadata: meta });
      }
    }),
    streams,
  );
  const renamed = (i: number, id: string): DomainEvent => ({ type: 'ProjectRenamed', data: { projectId: id, name: `P${i}`, previousName: `P${i - 1}`, reason: null } });
  const rawSeconds = await inFlight(
    ids.map(() => async () => {
      const stream = `raw:${randomUUID()}`;
      for (let i = 1; i <= perStream; i++) await store.append(stream, asStored([renamed(i, BENCH_PROJECT_ID)]), i === 1 ? 'no-stream' : i - 1);
    }),
    streams,
  );
  const commands = streams * perStream;
  const wp = commands / writeSeconds;
  const raw = commands / rawSeconds;
  return `| short stream (project rename), ${streams} in flight | ${commands} | ${Math.round(wp).toLocaleString('en')} cmd/s | ${Math.round(raw).toLocaleString('en')} appends/s | ${(wp / raw).toFixed(2)}x |`;
}

async function planStream(writePath: WritePath, store: PgEventStore, pool: Pool): Promise<string[]> {
  const projectId = randomUUID();
  const streamId = scheduleStreamId(TENANT, projectId);
  const events = importEvents(2_000, projectId);
  for (let i = 0; i < events.length; i += 1_000) await store.append(streamId, asStored(events.slice(i, i + 1_000)), i === 0 ? 'no-stream' : i);
  const pid = toProjectId(projectId);
  const estimate = (taskId: string, durationDays: number): ScheduleCommand => ({ type: 'EstimateTaskDuration', data: { projectId: pid, taskId: toTaskId(taskId), durationDays }, metadata: meta });
  // Settle: the first command folds the whole stream once and takes the first snapshot.
  const loaded = await writePath.load(scheduleAggregate, streamId, TENANT);
  if (loaded.state.status !== 'open') throw new Error('plan not open');
  const leaf = [...loaded.state.tasks.values()].filter((t) => t.kind === 'task').at(-1)?.taskId ?? 'T1999';
  const first = [...loaded.state.tasks.values()].find((t) => t.kind === 'task')?.taskId ?? 'T0';
  await writePath.handle(ctx(), scheduleAggregate, streamId, estimate(first, 1));
  const snapshots = await pool.query('SELECT stream_version FROM es_snapshots WHERE stream_id = $1', [streamId]);

  const rows: string[] = [];
  for (const [label, taskId, count] of [['leaf task (moves a few)', leaf, Math.max(10, Math.round(100 * SCALE))], ['first task (moves the plan)', first, Math.max(4, Math.round(15 * SCALE))]] as const) {
    const command: number[] = [];
    const raw: number[] = [];
    const load: number[] = [];
    let written = 0;
    for (let i = 0; i < count; i++) {
      const t0 = process.hrtime.bigint();
      await writePath.load(scheduleAggregate, streamId, TENANT);
      load.push(Number(process.hrtime.bigint() - t0) / 1e6);
      const t1 = process.hrtime.bigint();
      const handled = await writePath.handle(ctx(), scheduleAggregate, streamId, estimate(taskId, i % 2 === 0 ? 12 : 2));
      command.push(Number(process.hrtime.bigint() - t1) / 1e6);
      written += handled.events.length;
      const same = asStored(handled.events);
      const t2 = process.hrtime.bigint();
      await store.append(`raw:${randomUUID()}`, same, 'no-stream');
      raw.push(Number(process.hrtime.bigint() - t2) / 1e6);
    }
    const p50 = percentile(command, 50);
    const r50 = percentile(raw, 50);
    rows.push(
      `| 2,000-task plan, ${label}, 1 in flight | ${count} (${Math.round(written / count)} events each) | p50 ${p50.toFixed(1)} ms, p99 ${percentile(command, 99).toFixed(1)} ms (load p50 ${percentile(load, 50).toFixed(1)} ms) | p50 ${r50.toFixed(1)} ms | ${(p50 / r50).toFixed(1)}x time |`,
    );
  }
  rows.push(`|  | snapshot at version ${snapshots.rows[0]?.stream_version ?? 'none'} of a ${events.length.toLocaleString('en')}-event stream |  |  |  |`);
  return rows;
}

async function main(): Promise<void> {
  const db = await createTestDatabase('bench_command');
  const pool = createPgPool(db.url, { max: 30 });
  try {
    await runMigrations(db.url, EVENT_STORE_MIGRATIONS);
    const store = new PgEventStore(pool);
    const writePath = new WritePath(store, { snapshotEvery: SNAPSHOT_EVERY });
    const rows = [await shortStreams(writePath, store), ...(await planStream(writePath, store, pool))];
    console.log('\nThe write path of a command against a raw append of the same events (same store, same run):\n');
    console.log('| case | commands | write path | raw append (floor) | ratio |');
    console.log('|---|---|---|---|---|');
    for (const row of rows) console.log(row);
    console.log(`\nnode ${process.version}. reproduce: npm run bench:command (BENCH_SCALE=2 for a longer run, SNAPSHOT_EVERY=n to change the spacing)`);
  } finally {
    await pool.end();
    await db.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
