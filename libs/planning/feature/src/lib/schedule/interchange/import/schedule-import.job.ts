import { TextDecoder } from 'node:util';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import { discardImportInput, readImportInput } from '@pm/planning/data-access';
import { scheduleAggregate, scheduleImportStreamId, scheduleStreamId } from '@pm/planning/domain';
import type { ScheduleImported, ScheduleStreamEvent } from '@pm/planning/domain';
import { PG_POOL, PgEventStore, WritePath } from '@pm/platform/event-store';
import { JobFailure, JobRunner } from '@pm/platform/jobs';
import type { JobContext } from '@pm/platform/jobs';
import type { RequestContext } from '@pm/platform/request-context';
import { SpareWorker, startWorker } from '@pm/platform/workers';
import { IMPORT_OPTIONS, SCHEDULE_IMPORT_JOB } from './import.options';
import type { ImportOptions, ScheduleImportCheckpoint, ScheduleImportPayload, ScheduleImportResult } from './import.options';
import type { ImportReply, ImportRequest } from './import.protocol';
import { EventQueue } from './event-queue';

/** Event batches the worker may be ahead of the staging by (credits[0]), and upload chunks the worker may hold (credits[1]). */
const CREDITS = 4;
const INPUT_IN_FLIGHT = 4;

/**
 * Runs a Microsoft Project import (ADR 0009): the upload streams from its table into a worker thread that parses and
 * decides it; the events it sends back are staged in chunks on `schedule-import:<tenant>:<importId>`, each chunk its
 * own short transaction, and one ScheduleImported on the schedule stream commits them. A run that dies half way leaves
 * chunks nothing applies; the next run of the job resumes after the chunks already staged when the schedule has not
 * moved, else it stages afresh under a new staging stream.
 */
@Injectable()
export class ScheduleImportJob implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger(ScheduleImportJob.name);
  /** The next import's thread, started ahead: loading its modules was half of a 2,000-task import's time. */
  private readonly workers = new SpareWorker(
    () => this.startImportWorker(),
    (error) => this.log.warn({ err: error.message }, 'the spare import worker stopped before it was used'),
  );

  constructor(
    private readonly runner: JobRunner,
    private readonly writePath: WritePath,
    private readonly store: PgEventStore,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(IMPORT_OPTIONS) private readonly options: ImportOptions,
  ) {}

  onModuleInit(): void {
    this.runner.register(SCHEDULE_IMPORT_JOB, (ctx) => this.run(ctx as JobContext<ScheduleImportPayload, ScheduleImportCheckpoint>));
    if (this.options.warmWorker !== false) this.workers.warm();
  }

  async onModuleDestroy(): Promise<void> {
    await this.workers.close();
  }

  private startImportWorker() {
    return startWorker(__filename, 'import.worker', { resourceLimits: { maxOldGenerationSizeMb: this.options.workerHeapMb } });
  }

  async run(job: JobContext<ScheduleImportPayload, ScheduleImportCheckpoint>): Promise<ScheduleImportResult> {
    const { importId, projectId } = job.payload;
    const tenantId = job.tenantId;
    const ctx = contextOf(job);
    const streamId = scheduleStreamId(tenantId, projectId);
    const loaded = await this.writePath.load(scheduleAggregate, streamId, tenantId);
    if (loaded.state.status === 'open' && loaded.state.tasks.size > 0) throw new JobFailure('SCHEDULE_NOT_EMPTY', 'Import into a schedule without tasks');
    // Resume only onto the version the staged chunks were decided on; otherwise stage afresh.
    const resume = job.checkpoint !== null && job.checkpoint.expectedVersion === loaded.version;
    const stagingStreamId = resume && job.checkpoint ? job.checkpoint.stagingStreamId : scheduleImportStreamId(tenantId, job.attempt === 1 ? importId : `${importId}.${job.attempt}`);
    if (!resume) await this.checkpoint(job, { stagingStreamId, expectedVersion: loaded.version });
    const fromChunk = resume ? await this.store.streamVersion(stagingStreamId) : 0;

    const credits = new Int32Array(new SharedArrayBuffer(8));
    Atomics.store(credits, 0, CREDITS);
    // The worker goes at its `done`; the next spare waits for this job's end too (its commit, snapshot and rows).
    let jobEnded!: () => void;
    const ended = new Promise<void>((resolve) => (jobEnded = resolve));
    const worker = this.options.warmWorker === false ? this.startImportWorker() : this.workers.take(ended);
    const queue = new EventQueue<readonly ScheduleStreamEvent[]>();
    let done: Extract<ImportReply, { kind: 'done' }> | undefined;
    worker.on('message', (message: ImportReply) => {
      if (message.kind === 'read') job.reportProgress({ counters: { tasksRead: message.tasks } });
      else if (message.kind === 'parsed') job.reportProgress({ counters: { tasksRead: message.tasks }, total: message.tasks });
      else if (message.kind === 'events') queue.push(message.events);
      else if (message.kind === 'done') {
        done = message;
        queue.end();
        // Everything the worker had to give is here (the snapshot's bytes were transferred): its heap, hundreds of
        // megabytes after a large plan, goes now rather than after the commit and the snapshot are written.
        void worker.terminate();
      } else queue.fail(message.failure.clientError ? new JobFailure(message.failure.code, message.failure.message) : new Error(message.failure.message));
    });
    worker.on('error', (error) => queue.fail(error));
    worker.on('exit', (code) => {
      if (done) return;
      // Terminated because the job was aborted (cancel, shutdown, lost lease): that, not the heap, is why it stopped.
      if (job.signal.aborted) queue.fail(job.signal.reason instanceof Error ? job.signal.reason : new Error('the import was aborted'));
      else queue.fail(code === 0 ? new Error('the import worker stopped') : new JobFailure('IMPORT_TOO_LARGE', `the import needed more than ${this.options.workerHeapMb} MB (worker exit ${code})`));
    });
    const abort = () => void worker.terminate();
    job.signal.addEventListener('abort', abort);
    try {
      const start: ImportRequest = { kind: 'start', state: loaded.state, projectId, metadata: { now: ctx.now, actor: ctx.principal.actor, tenantId }, limits: this.options.limits, maxTasks: this.options.maxTasks, credits: credits.buffer as SharedArrayBuffer };
      worker.postMessage(start);
      const feeding = this.feed(worker, credits, tenantId, importId);
      let tasksStored = 0;
      // The import's earned value goes right after ScheduleImported as an event of its own (its contract is past
      // version 1, which is how consumers read a chunk's entries: ADR 0009); everything else is staged.
      const afterCommit: ScheduleStreamEvent[] = [];
      const events = (async function* () {
        for await (const batch of queue) {
          tasksStored += batch.filter((e) => e.type === 'TaskAddedToWbs').length;
          job.reportProgress({ counters: { tasksStored } });
          afterCommit.push(...batch.filter(isTrailing));
          yield batch.filter((e) => !isTrailing(e));
          Atomics.add(credits, 0, 1);
          Atomics.notify(credits, 0);
        }
      })();
      const committed = await this.writePath.commitStaged(ctx, scheduleAggregate, streamId, {
        expectedVersion: loaded.version,
        events,
        stagingStreamId,
        fromChunk,
        chunkData: (chunkEvents, chunk) => ({ projectId, importId, chunk, events: chunkEvents }),
        commit: ({ chunks, events: count }): ScheduleImported => ({
          type: 'ScheduleImported',
          data: {
            projectId,
            importId,
            stagingStreamId,
            chunks,
            events: count,
            tasks: done?.tasks ?? 0,
            links: done?.links ?? 0,
            warnings: (done?.warnings ?? []).slice(0, 100).map((w) => w.slice(0, 500)),
            warningCount: done?.warnings.length ?? 0,
            importedAt: ctx.now,
          },
        }),
        trailing: () => afterCommit,
        onChunkStaged: (chunk, staged) => job.reportProgress({ done: staged, counters: { chunksStaged: chunk + 1, eventsStaged: staged } }),
        finalStateBytes: () => {
          if (!done) throw new Error('the import worker sent no final state');
          return done.snapshot;
        },
      });
      await feeding;
      await discardImportInput(this.pool, importId).catch((error: unknown) => this.log.warn({ importId, err: String(error) }, 'upload not discarded'));
      return { projectId, version: committed.version, chunks: committed.chunks, events: committed.events, tasks: done?.tasks ?? 0, links: done?.links ?? 0, warnings: done?.warnings.length ?? 0 };
    } finally {
      job.signal.removeEventListener('abort', abort);
      await worker.terminate();
      jobEnded();
    }
  }

  /**
   * Streams the upload into the worker, never more than INPUT_IN_FLIGHT chunks ahead of it (memory stays bounded
   * whatever the file's size); the decoder keeps UTF-8 characters whole across chunk boundaries.
   */
  private async feed(worker: { postMessage(message: ImportRequest): void }, credits: Int32Array, tenantId: string, importId: string): Promise<void> {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    const post = async (text: string): Promise<void> => {
      for (let held = Atomics.load(credits, 1); held >= INPUT_IN_FLIGHT; held = Atomics.load(credits, 1)) {
        const wait = Atomics.waitAsync(credits, 1, held, 1_000);
        if (wait.async) await wait.value;
      }
      Atomics.add(credits, 1, 1);
      worker.postMessage({ kind: 'chunk', text });
    };
    for await (const chunk of readImportInput(this.pool, tenantId, importId)) await post(decoder.decode(chunk, { stream: true }));
    const rest = decoder.decode();
    if (rest) await post(rest);
    worker.postMessage({ kind: 'end' });
  }

  private async checkpoint(job: JobContext<ScheduleImportPayload, ScheduleImportCheckpoint>, value: ScheduleImportCheckpoint): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await job.saveCheckpoint(client, value);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

/** The import's events are the request's: same actor, correlation and trace; `now` fixed at submission (resumable). */
function contextOf(job: JobContext<ScheduleImportPayload, ScheduleImportCheckpoint>): RequestContext {
  const { requestedBy, submittedAt, commandId, correlationId, traceparent } = job.payload;
  return {
    principal: { sub: requestedBy.sub, tenantId: job.tenantId, roles: [], actor: requestedBy.actor },
    now: submittedAt,
    commandId,
    correlationId,
    causationId: commandId,
    traceparent,
  };
}

/** Events an import appends after its commit instead of staging them. */
const isTrailing = (e: ScheduleStreamEvent): boolean => e.type === 'ProjectEarnedValueCalculated';
