import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { PLANNING_MIGRATIONS, storeImportInput } from '@pm/planning/data-access';
import { scheduleAggregate, scheduleStreamId } from '@pm/planning/domain';
import type { ScheduleState } from '@pm/planning/domain';
import { PgEventStore, WritePath, createPgPool, runMigrations } from '@pm/platform/event-store';
import type { JobContext, JobRunner } from '@pm/platform/jobs';
import { createTestDatabase } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { DEFAULT_XML_LIMITS } from '@pm/shared/interchange';
import { ScheduleImportJob } from './schedule-import.job';
import type { ScheduleImportCheckpoint, ScheduleImportPayload } from './import.options';

const TENANT = 'tenant-import-job';
const tasksOf = (state: ScheduleState): number => (state.status === 'open' ? state.tasks.size : 0);
const TASKS = 5_000;

/** `n` one-day tasks, each after the one before: several staged parts of 512 KiB. */
const chainXml = (n: number): string =>
  `<Project xmlns="http://schemas.microsoft.com/project"><StartDate>2025-01-06T08:00:00</StartDate><Tasks>${Array.from(
    { length: n },
    (_, i) =>
      `<Task><UID>${i + 1}</UID><Name>Task ${i + 1}</Name><Duration>PT8H0M0S</Duration>${i > 0 ? `<PredecessorLink><PredecessorUID>${i}</PredecessorUID><Type>1</Type></PredecessorLink>` : ''}</Task>`,
  ).join('')}</Tasks></Project>`;

/**
 * The import job against a real database and a real worker thread (ADR 0009): a run stopped half way leaves nothing
 * visible, and the next run resumes after the parts already staged, staging none twice.
 */
describe('ScheduleImportJob', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: PgEventStore;
  let writePath: WritePath;
  let importer: ScheduleImportJob;

  beforeAll(async () => {
    db = await createTestDatabase('import_job');
    await runMigrations(db.url, PLANNING_MIGRATIONS);
    pool = createPgPool(db.url);
    store = new PgEventStore(pool);
    writePath = new WritePath(store);
    const runner = { register: () => undefined } as unknown as JobRunner;
    importer = new ScheduleImportJob(runner, writePath, store, pool, { maxBytes: 64 * 1024 * 1024, maxTasks: 400_000, limits: DEFAULT_XML_LIMITS, workerHeapMb: 512 });
  }, 60_000);

  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  /** A job context as the runner gives one; checkpoints are kept in memory, progress in `counters`. */
  function jobContext(payload: ScheduleImportPayload, attempt: number, checkpoint: ScheduleImportCheckpoint | null, onProgress: (counters: Record<string, number>) => void = () => undefined) {
    const abort = new AbortController();
    const saved: { checkpoint: ScheduleImportCheckpoint | null } = { checkpoint };
    const counters: Record<string, number> = {};
    const ctx: JobContext<ScheduleImportPayload, ScheduleImportCheckpoint> = {
      jobId: randomUUID(),
      tenantId: TENANT,
      kind: 'planning.schedule-import',
      concurrencyKey: payload.projectId,
      payload,
      attempt,
      resumed: attempt > 1,
      checkpoint,
      signal: abort.signal,
      reportProgress: (update) => {
        Object.assign(counters, update.counters);
        onProgress(counters);
      },
      saveCheckpoint: async (_tx, value) => {
        saved.checkpoint = value;
      },
      heartbeat: async () => undefined,
    };
    return { ctx, abort, saved, counters };
  }

  async function upload(xml: string): Promise<ScheduleImportPayload> {
    const importId = randomUUID();
    const projectId = randomUUID();
    const bytes = await storeImportInput(pool, TENANT, importId, (async function* () {
      yield Buffer.from(xml);
    })());
    const commandId = randomUUID();
    return { importId, projectId, bytes, submittedAt: '2025-01-02T09:00:00.000Z', commandId, correlationId: commandId, traceparent: null, requestedBy: { sub: 'pm-1', actor: 'user:pm-1' } };
  }

  it('a run stopped after two parts leaves the schedule untouched; the next run resumes after them and commits the whole plan once', async () => {
    const payload = await upload(chainXml(TASKS));
    const streamId = scheduleStreamId(TENANT, payload.projectId);

    const first = jobContext(payload, 1, null, (counters) => {
      if ((counters['chunksStaged'] ?? 0) >= 2 && !first.abort.signal.aborted) first.abort.abort(new Error('runner shut down'));
    });
    await expect(importer.run(first.ctx)).rejects.toThrow('runner shut down');
    const checkpoint = first.saved.checkpoint;
    expect(checkpoint).toEqual({ stagingStreamId: expect.stringContaining(payload.importId), expectedVersion: 0 });
    const stagedBefore = await store.streamVersion(checkpoint?.stagingStreamId ?? '');
    expect(stagedBefore).toBeGreaterThanOrEqual(2);
    // Nothing visible: the schedule stream has no event, the aggregate no task.
    expect(await store.streamVersion(streamId)).toBe(0);
    expect(tasksOf((await writePath.load(scheduleAggregate, streamId, TENANT)).state)).toBe(0);

    const second = jobContext(payload, 2, checkpoint);
    const result = await importer.run(second.ctx);
    expect(result).toMatchObject({ projectId: payload.projectId, tasks: TASKS, links: TASKS - 1 });
    expect(result.chunks).toBeGreaterThan(stagedBefore);

    // Same staging stream, each part once, in order; one commit on the schedule stream.
    const parts = await store.readStream(checkpoint?.stagingStreamId ?? '', { tenantId: TENANT });
    expect(parts.map((p) => (p.data as { chunk: number }).chunk)).toEqual(Array.from({ length: result.chunks }, (_, i) => i));
    const schedule = await store.readStream(streamId, { tenantId: TENANT });
    expect(schedule.map((e) => e.type)).toEqual(['ScheduleImported']);
    const loaded = await writePath.load(scheduleAggregate, streamId, TENANT);
    expect(tasksOf(loaded.state)).toBe(TASKS);
  }, 120_000);

  it("a plan with a baseline and a status date: its earned value follows ScheduleImported as an event of its own, never inside a part", async () => {
    const baseline = (start: string, finish: string, cost: number) =>
      `<Baseline><Number>0</Number><Start>${start}T08:00:00</Start><Finish>${finish}T17:00:00</Finish><Duration>PT40H0M0S</Duration><Cost>${cost}</Cost></Baseline>`;
    const xml =
      '<Project xmlns="http://schemas.microsoft.com/project"><StartDate>2025-01-06T08:00:00</StartDate><StatusDate>2025-01-10T17:00:00</StatusDate><Tasks>' +
      `<Task><UID>1</UID><Name>Design</Name><Duration>PT40H0M0S</Duration><ActualStart>2025-01-06T08:00:00</ActualStart><PercentComplete>50</PercentComplete>${baseline('2025-01-06', '2025-01-10', 400000)}</Task>` +
      `<Task><UID>2</UID><Name>Build</Name><Duration>PT40H0M0S</Duration><PredecessorLink><PredecessorUID>1</PredecessorUID><Type>1</Type></PredecessorLink>${baseline('2025-01-13', '2025-01-17', 400000)}</Task>` +
      '</Tasks></Project>';
    const payload = await upload(xml);
    const streamId = scheduleStreamId(TENANT, payload.projectId);
    const { ctx, saved } = jobContext(payload, 1, null);
    const result = await importer.run(ctx);

    const schedule = await store.readStream(streamId, { tenantId: TENANT });
    expect(schedule.map((e) => e.type)).toEqual(['ScheduleImported', 'ProjectEarnedValueCalculated']);
    // Stored at its contract's latest version, as any event appended on its own; the stream's version is the command's answer.
    expect(schedule[1].schemaVersion).toBeGreaterThan(1);
    expect(result.version).toBe(2);
    const parts = await store.readStream(saved.checkpoint?.stagingStreamId ?? '', { tenantId: TENANT });
    const staged = parts.flatMap((p) => (p.data as { events: Array<{ type: string }> }).events.map((e) => e.type));
    expect(staged).toContain('ProjectScheduleCalculated');
    expect(staged).not.toContain('ProjectEarnedValueCalculated');
    // The aggregate folds both: the next command with unchanged figures publishes no earned value again.
    const loaded = await writePath.load(scheduleAggregate, streamId, TENANT);
    expect(loaded.version).toBe(2);
    expect(loaded.state.status === 'open' && loaded.state.lastEarnedValue).toBeTruthy();
  }, 60_000);

  it('a rerun after the schedule moved stages afresh under a new staging stream, the abandoned parts inert', async () => {
    const payload = await upload(chainXml(50));
    const stale: ScheduleImportCheckpoint = { stagingStreamId: `schedule-import:${TENANT}:${payload.importId}`, expectedVersion: 7 };
    const run = jobContext(payload, 2, stale);
    const result = await importer.run(run.ctx);
    expect(result.tasks).toBe(50);
    expect(run.saved.checkpoint?.stagingStreamId).not.toBe(stale.stagingStreamId);
    expect(tasksOf((await writePath.load(scheduleAggregate, scheduleStreamId(TENANT, payload.projectId), TENANT)).state)).toBe(50);
  }, 60_000);
});
