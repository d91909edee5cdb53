/*
 * `npm run bench:schedule-read`: the schedule read model as rows (ADR 0010), against raw PostgreSQL in the same run.
 *   - a plan of 2,000 and one of 100,000 tasks, imported as a staged change (chunks + one ScheduleImported) and
 *     applied by the lane runner: the time until the rows are there;
 *   - a page of 100 tasks at the start, middle and end of the WBS through readSchedulePage (tasks, summaries'
 *     roll-ups, links) against a raw SELECT of the same 100 rows; the whole 2,000-task schedule the same way;
 *   - a leaf task's duration changed through the write path: the task rows the lane wrote, and the time to apply
 *     it against a raw multi-row UPDATE of the same number of rows.
 * Env: PG_URL (server), BENCH_TASKS (comma-separated plan sizes, default 2000,100000), BENCH_REPEAT (default 30).
 */
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { ScheduleRowsProjection, ScheduleRowsRepository, PLANNING_MIGRATIONS, readSchedulePage } from '@pm/planning/data-access';
import { scheduleAggregate, scheduleImportStreamId, scheduleStreamId, toProjectId, toTaskId } from '@pm/planning/domain';
import { PgEventStore, WritePath, createPgPool, metadataFor, runMigrations } from '@pm/platform/event-store';
import type { NewEvent } from '@pm/platform/event-store';
import { LaneProjectionRunner } from '@pm/platform/projections';
import type { RequestContext } from '@pm/platform/request-context';
import { createTestDatabase } from '@pm/platform/testing';
import { importEvents } from './plan-events';

const SIZES = (process.env.BENCH_TASKS ?? '2000,100000').split(',').map(Number);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 30);
const TENANT = 'bench';
const PAGE = 100;
const CHUNK = 2_000;

const ctx = (): RequestContext => ({
  principal: { sub: 'bench', tenantId: TENANT, roles: ['pmo-admin'], actor: 'user:bench' },
  now: new Date().toISOString(),
  commandId: randomUUID(),
  correlationId: randomUUID(),
  causationId: randomUUID(),
  traceparent: null,
});
const stored = (type: string, data: unknown): NewEvent => ({ type, data, metadata: metadataFor(ctx()) });

const ms = (from: bigint): number => Number(process.hrtime.bigint() - from) / 1e6;
const p50 = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function timed(repeat: number, run: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const t = process.hrtime.bigint();
    await run();
    times.push(ms(t));
  }
  return p50(times);
}

/** The plan's events staged in chunks and committed by one ScheduleImported, as the import job writes them. */
async function stageImport(store: PgEventStore, projectId: string, taskCount: number): Promise<void> {
  const [opened, ...rest] = importEvents(taskCount, projectId);
  await store.append(scheduleStreamId(TENANT, projectId), [stored(opened.type, opened.data)], 'no-stream');
  const importId = randomUUID();
  const stagingStreamId = scheduleImportStreamId(TENANT, importId);
  let chunks = 0;
  for (let i = 0; i < rest.length; i += CHUNK, chunks++) {
    await store.append(stagingStreamId, [stored('ScheduleImportStaged', { projectId, importId, chunk: chunks, events: rest.slice(i, i + CHUNK) })], chunks === 0 ? 'no-stream' : chunks);
  }
  const links = rest.filter((e) => e.type === 'DependencyLinked').length;
  const commit = { projectId, importId, stagingStreamId, chunks, events: rest.length, tasks: taskCount, links, warnings: [], warningCount: 0, importedAt: new Date().toISOString() };
  await store.append(scheduleStreamId(TENANT, projectId), [stored('ScheduleImported', commit)], 1);
}

const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}x`;

async function plan(pool: Pool, store: PgEventStore, taskCount: number): Promise<string[]> {
  const projectId = randomUUID();
  const streamId = scheduleStreamId(TENANT, projectId);
  const projection = new ScheduleRowsProjection(store);
  const runner = new LaneProjectionRunner({ projection, context: 'planning', pool, store });
  const repository = new ScheduleRowsRepository(pool);
  await stageImport(store, projectId, taskCount);
  let prepareMs = 0;
  const prepare = projection.prepareLane.bind(projection);
  projection.prepareLane = async (...args) => {
    const t = process.hrtime.bigint();
    await prepare(...args);
    prepareMs += ms(t);
  };
  const t0 = process.hrtime.bigint();
  await runner.catchUpLane(streamId);
  const importMs = ms(t0);
  const header = await repository.header(TENANT, projectId);
  if (!header) throw new Error('import not applied');
  const label = `${taskCount.toLocaleString('en')} tasks`;
  const rows = [
    `| ${label} | staged import applied: rows built in short transactions, then swapped in by the commit's lane transaction | ${importMs.toFixed(0)} ms (swap ${(importMs - prepareMs).toFixed(0)} ms) | | |`,
  ];

  const codes = (await pool.query<{ c: string }>(
    `SELECT array_to_string(wbs_path, '.') AS c FROM planning_schedule_tasks WHERE tenant_id = $1 AND project_id = $2 ORDER BY wbs_path`,
    [TENANT, projectId],
  )).rows.map((r) => r.c);
  const raw = (after: string | undefined, limit: number | null) =>
    pool.query(
      `SELECT * FROM planning_schedule_tasks WHERE tenant_id = $1 AND project_id = $2 AND ($3::integer[] IS NULL OR wbs_path > $3::integer[]) ORDER BY wbs_path LIMIT $4`,
      [TENANT, projectId, after ? after.split('.').map(Number) : null, limit],
    );
  for (const [where, after] of [['start', undefined], ['middle', codes[Math.floor(codes.length / 2)]], ['end', codes[codes.length - PAGE - 1]]] as const) {
    const page = await timed(REPEAT, () => readSchedulePage(repository, TENANT, header, { after, limit: PAGE }));
    const floor = await timed(REPEAT, () => raw(after, PAGE));
    rows.push(`| ${label} | page of ${PAGE} at the ${where} | p50 ${page.toFixed(2)} ms | p50 ${floor.toFixed(2)} ms | ${ratio(page, floor)} |`);
  }
  if (taskCount <= 10_000) {
    const whole = await timed(Math.max(5, Math.round(REPEAT / 3)), () => readSchedulePage(repository, TENANT, header));
    const floor = await timed(Math.max(5, Math.round(REPEAT / 3)), () => raw(undefined, null));
    rows.push(`| ${label} | whole schedule (no paging) | p50 ${whole.toFixed(1)} ms | p50 ${floor.toFixed(1)} ms | ${ratio(whole, floor)} |`);
  }

  const writePath = new WritePath(store);
  const pid = toProjectId(projectId);
  const estimate = (taskId: string, durationDays: number) => ({ type: 'EstimateTaskDuration' as const, data: { projectId: pid, taskId: toTaskId(taskId), durationDays }, metadata: { now: new Date().toISOString(), actor: 'user:bench', tenantId: TENANT } });
  const leaf = (await pool.query<{ task_id: string }>(
    `SELECT task_id FROM planning_schedule_tasks WHERE tenant_id = $1 AND project_id = $2 AND kind = 'task' ORDER BY wbs_path DESC LIMIT 1`,
    [TENANT, projectId],
  )).rows[0].task_id;
  // Settle: the first command recalculates the imported plan once (its published dates are placeholders).
  await writePath.handle(ctx(), scheduleAggregate, streamId, estimate(leaf, 3));
  await runner.catchUpLane(streamId);
  const apply: number[] = [];
  const floor: number[] = [];
  let written = 0;
  for (let i = 0; i < Math.max(5, Math.round(REPEAT / 3)); i++) {
    await writePath.handle(ctx(), scheduleAggregate, streamId, estimate(leaf, i % 2 ? 3 : 6));
    const t = process.hrtime.bigint();
    await runner.catchUpLane(streamId);
    apply.push(ms(t));
    written = projection.lastTasksWritten;
    const ids = (await pool.query<{ task_id: string }>(
      `SELECT task_id FROM planning_schedule_tasks WHERE tenant_id = $1 AND project_id = $2 AND kind = 'task' ORDER BY wbs_path DESC LIMIT $3`,
      [TENANT, projectId, Math.max(1, written)],
    )).rows.map((r) => r.task_id);
    // The floor: one raw UPDATE of as many task rows, by key, in its own transaction.
    const t2 = process.hrtime.bigint();
    await pool.query('UPDATE planning_schedule_tasks SET percent_complete = percent_complete WHERE tenant_id = $1 AND project_id = $2 AND task_id = ANY($3::text[])', [TENANT, projectId, ids]);
    floor.push(ms(t2));
  }
  rows.push(`| ${label} | leaf task edit applied (${written} task row${written === 1 ? '' : 's'} written) | p50 ${p50(apply).toFixed(2)} ms | p50 ${p50(floor).toFixed(2)} ms (UPDATE of ${Math.max(1, written)} rows) | ${ratio(p50(apply), p50(floor))} |`);
  return rows;
}

async function main(): Promise<void> {
  const db = await createTestDatabase('bench_schedule_read');
  const pool = createPgPool(db.url, { max: 10 });
  try {
    await runMigrations(db.url, PLANNING_MIGRATIONS);
    const store = new PgEventStore(pool);
    const rows: string[] = [];
    for (const size of SIZES) rows.push(...(await plan(pool, store, size)));
    console.log('\nThe schedule read model (rows, one lane per project) against raw PostgreSQL on the same rows, same run:\n');
    console.log('| plan | case | read model | raw pg (floor) | ratio |');
    console.log('|---|---|---|---|---|');
    for (const row of rows) console.log(row);
    console.log(`\nnode ${process.version}. reproduce: npm run bench:schedule-read (BENCH_TASKS=2000,100000 BENCH_REPEAT=30)`);
  } finally {
    await pool.end();
    await db.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
