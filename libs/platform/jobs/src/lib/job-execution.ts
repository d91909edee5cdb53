import type { Pool, PoolClient } from 'pg';
import { isDriverError, isLeakyText, titleFromCode } from '@pm/platform/http';
import { backoffDelayMs, describeError } from '@pm/platform/scheduler';
import type { BackoffPolicy, Clock, JsonValue, WorkLogger } from '@pm/platform/scheduler';
import type { ClaimedJob } from './job-claim';
import { JobFailure, JobLeaseLost } from './job.errors';
import type { JobContext, JobHandler, JobProgress, JobState, ProgressUpdate } from './job.types';

export interface ExecutionSettings {
  readonly pool: Pool;
  readonly clock: Clock;
  readonly logger: WorkLogger;
  readonly leaseMs: number;
  readonly heartbeatMs: number;
  readonly progressFlushMs: number;
  readonly retry: BackoffPolicy;
}

export type AbortReason = 'cancelled' | 'shutdown' | 'lease-lost';

/** How a run ended: a state written, or `lost` (another runner owns the job; nothing was written). */
export type RunOutcome = JobState | 'lost';

interface Settlement {
  readonly state: 'succeeded' | 'failed' | 'cancelled' | 'queued';
  readonly result?: JsonValue;
  readonly error?: { code: string; message: string };
  readonly runAfter?: Date;
  /** A run ended by shutdown gives its attempt back: a deploy is not the job's fault. */
  readonly refundAttempt?: boolean;
}

const PUBLIC_CODE = /^[A-Z][A-Z0-9_]{1,63}$/;
/** SQLSTATE classes worth another run: connection, resources, operator intervention, serialization, deadlock. */
const TRANSIENT_SQLSTATE = /^(08|53|57P0|40001|40P01)/;

function isRetryable(error: unknown): boolean {
  if (error instanceof JobFailure) return error.retryable;
  const e = error as { retryable?: unknown; transient?: unknown; code?: unknown } | null;
  return e?.retryable === true || e?.transient === true || (typeof e?.code === 'string' && TRANSIENT_SQLSTATE.test(e.code));
}

/** What the job resource may show: a handler's own coded error, or a generic one (details stay in the log). */
function publicError(error: unknown): { code: string; message: string } {
  const described = describeError(error);
  const coded =
    error instanceof JobFailure || (PUBLIC_CODE.test(described.code) && typeof (error as { kind?: unknown }).kind === 'string' && !isDriverError(error));
  if (!coded) return { code: 'JOB_FAILED', message: 'The job failed unexpectedly; the service log has the details' };
  // The same net as problem+json bodies: a coded message that quotes the database or a stack shows its code's title.
  return isLeakyText(described.message) ? { code: described.code, message: `${titleFromCode(described.code)}.` } : described;
}

/**
 * One run of one claimed job: the handler's context, its heartbeat and throttled progress writes (each fenced on
 * the lease token), and the final state. A write that finds the token gone means another runner owns the job:
 * the handler is aborted and this run writes nothing more.
 */
export class JobExecution {
  private readonly controller = new AbortController();
  private abortReason?: AbortReason;
  private progress: JobProgress;
  private dirty = false;
  private finished = false;
  private lastFlushAt = 0;
  private lastBeatAt = Date.now();
  private flushTimer?: NodeJS.Timeout;
  private heartbeatTimer?: NodeJS.Timeout;
  private syncing: Promise<void> = Promise.resolve();

  constructor(
    readonly claimed: ClaimedJob,
    private readonly handler: JobHandler,
    private readonly settings: ExecutionSettings,
  ) {
    this.progress = claimed.job.progress;
  }

  get jobId(): string {
    return this.claimed.job.id;
  }

  abort(reason: AbortReason): void {
    if (this.controller.signal.aborted) return;
    this.abortReason = reason;
    this.controller.abort(new JobAbortedError(this.jobId, reason));
  }

  async run(): Promise<RunOutcome> {
    this.heartbeatTimer = setInterval(() => void this.sync(), this.settings.heartbeatMs);
    let settlement: Settlement | undefined;
    try {
      settlement = { state: 'succeeded', result: (await this.handler(this.context())) ?? null };
    } catch (error) {
      settlement = this.settle(error);
    } finally {
      this.finished = true;
      clearInterval(this.heartbeatTimer);
      clearTimeout(this.flushTimer);
    }
    await this.syncing;
    return settlement ? this.finish(settlement) : 'lost';
  }

  /** Shutdown grace is over and the handler still runs: hand the job back to the queue now. */
  async release(): Promise<RunOutcome> {
    this.finished = true;
    clearInterval(this.heartbeatTimer);
    clearTimeout(this.flushTimer);
    return this.finish({ state: 'queued', refundAttempt: true, runAfter: this.settings.clock.now() });
  }

  private settle(error: unknown): Settlement | undefined {
    const { job } = this.claimed;
    if (this.abortReason === 'lease-lost' || error instanceof JobLeaseLost) return undefined;
    if (this.abortReason === 'shutdown') return { state: 'queued', refundAttempt: true, runAfter: this.settings.clock.now() };
    if (this.abortReason === 'cancelled') return { state: 'cancelled', error: { code: 'JOB_CANCELLED', message: 'Cancelled while running' } };
    const failure = publicError(error);
    this.settings.logger.warn({ jobId: job.id, tenantId: job.tenantId, kind: job.kind, attempt: job.attempts, err: error }, 'job handler failed');
    if (isRetryable(error) && job.attempts < job.maxAttempts) {
      const runAfter = new Date(this.settings.clock.now().getTime() + backoffDelayMs(job.attempts, this.settings.retry));
      return { state: 'queued', error: failure, runAfter };
    }
    return { state: 'failed', error: failure };
  }

  private async finish(s: Settlement): Promise<RunOutcome> {
    const now = this.settings.clock.now();
    const terminal = s.state !== 'queued';
    const res = await this.settings.pool.query(
      `UPDATE jobs SET state = $3, result = $4::jsonb, error_code = $5, error_message = $6, progress_done = $7, progress_total = $8,
         counters = $9::jsonb, finished_at = $10, run_after = coalesce($11, run_after), attempts = attempts - $12,
         lease_token = NULL, lease_owner = NULL, lease_expires_at = NULL, updated_at = $13
       WHERE id = $1 AND lease_token = $2 AND state = 'running'`,
      [
        this.jobId,
        this.claimed.token,
        s.state,
        s.result === undefined ? null : JSON.stringify(s.result),
        s.error?.code ?? null,
        s.error?.message ?? null,
        this.progress.done,
        this.progress.total,
        JSON.stringify(this.progress.counters),
        terminal ? now : null,
        s.runAfter ?? null,
        s.refundAttempt ? 1 : 0,
        now,
      ],
    );
    if ((res.rowCount ?? 0) === 0) {
      this.settings.logger.warn({ jobId: this.jobId, outcome: s.state }, 'job lease lost before its outcome was stored; another runner owns it');
      return 'lost';
    }
    return s.state;
  }

  private context(): JobContext {
    const { job, resumed, checkpoint } = this.claimed;
    return {
      jobId: job.id,
      tenantId: job.tenantId,
      kind: job.kind,
      concurrencyKey: job.concurrencyKey,
      payload: job.payload,
      attempt: job.attempts,
      resumed,
      checkpoint,
      signal: this.controller.signal,
      reportProgress: (update) => this.reportProgress(update),
      saveCheckpoint: (tx, value) => this.saveCheckpoint(tx, value),
      heartbeat: () => this.sync(),
    };
  }

  private reportProgress(update: ProgressUpdate): void {
    if (this.finished) return;
    const valid = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n) && n >= 0;
    const counters = { ...this.progress.counters };
    for (const [name, value] of Object.entries(update.counters ?? {})) if (valid(value)) counters[name] = value;
    this.progress = {
      done: valid(update.done) ? Math.trunc(update.done) : this.progress.done,
      total: valid(update.total) ? Math.trunc(update.total) : this.progress.total,
      counters,
    };
    this.dirty = true;
    if (this.flushTimer) return;
    const wait = Math.max(0, this.lastFlushAt + this.settings.progressFlushMs - Date.now());
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      void this.sync();
    }, wait);
  }

  private async saveCheckpoint(tx: PoolClient, checkpoint: JsonValue): Promise<void> {
    const res = await tx.query(`UPDATE jobs SET checkpoint = $3::jsonb, updated_at = $4 WHERE id = $1 AND lease_token = $2 AND state = 'running'`, [
      this.jobId,
      this.claimed.token,
      JSON.stringify(checkpoint),
      this.settings.clock.now(),
    ]);
    if ((res.rowCount ?? 0) === 0) throw new JobLeaseLost(this.jobId);
  }

  /** Heartbeat and progress in one fenced write, one at a time. */
  private sync(): Promise<void> {
    this.syncing = this.syncing.then(() => this.syncNow());
    return this.syncing;
  }

  private async syncNow(): Promise<void> {
    if (this.finished) return;
    const progress = this.dirty ? this.progress : undefined;
    this.dirty = false;
    this.lastFlushAt = Date.now();
    const now = this.settings.clock.now();
    try {
      const res = await this.settings.pool.query<{ cancel_requested: boolean }>(
        `UPDATE jobs SET lease_expires_at = $3, heartbeat_at = $4, updated_at = $4, progress_done = coalesce($5, progress_done),
           progress_total = coalesce($6, progress_total), counters = coalesce($7::jsonb, counters)
         WHERE id = $1 AND lease_token = $2 AND state = 'running' RETURNING cancel_requested`,
        [
          this.jobId,
          this.claimed.token,
          new Date(now.getTime() + this.settings.leaseMs),
          now,
          progress?.done ?? null,
          progress?.total ?? null,
          progress ? JSON.stringify(progress.counters) : null,
        ],
      );
      if (res.rows.length === 0) return this.abort('lease-lost');
      this.lastBeatAt = Date.now();
      if (res.rows[0].cancel_requested) this.abort('cancelled');
    } catch (error) {
      if (progress) this.dirty = true;
      this.settings.logger.warn({ jobId: this.jobId, err: error }, 'job heartbeat failed');
      // Unable to renew for a whole lease: assume another runner has taken over, and stop.
      if (Date.now() - this.lastBeatAt > this.settings.leaseMs) this.abort('lease-lost');
    }
  }
}

export class JobAbortedError extends Error {
  readonly code = 'JOB_ABORTED';
  constructor(
    readonly jobId: string,
    readonly reason: AbortReason,
  ) {
    super(`Job ${jobId} aborted: ${reason}`);
    this.name = 'JobAbortedError';
  }
}
