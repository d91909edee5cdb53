import type { PoolClient } from 'pg';
import type { JsonValue } from '@pm/platform/scheduler';

export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export const ACTIVE_JOB_STATES: readonly JobState[] = ['queued', 'running'];
export const FINISHED_JOB_STATES: readonly JobState[] = ['succeeded', 'failed', 'cancelled'];

export interface JobProgress {
  readonly done: number;
  readonly total: number | null;
  /** Free-form counts the handler reports, e.g. { tasksRead: 1200, tasksStored: 1150 }. */
  readonly counters: Readonly<Record<string, number>>;
}

export interface JobError {
  /** Stable UPPER_SNAKE code clients match on. */
  readonly code: string;
  readonly message: string;
}

export interface Job<P extends JsonValue = JsonValue, R extends JsonValue = JsonValue> {
  readonly id: string;
  readonly tenantId: string;
  readonly kind: string;
  readonly concurrencyKey: string;
  readonly state: JobState;
  readonly payload: P;
  readonly progress: JobProgress;
  readonly result: R | null;
  /** The final error of a failed or cancelled job; while queued again, why the last attempt ended. */
  readonly error: JobError | null;
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly cancelRequested: boolean;
  readonly requestedBy: string | null;
  readonly createdAt: Date;
  readonly startedAt: Date | null;
  readonly finishedAt: Date | null;
  readonly updatedAt: Date;
  readonly heartbeatAt: Date | null;
  readonly leaseExpiresAt: Date | null;
}

export interface SubmitJob<P extends JsonValue = JsonValue> {
  readonly tenantId: string;
  readonly kind: string;
  /** At most one queued or running job per (tenant, kind, key), e.g. the project id of an import. */
  readonly concurrencyKey: string;
  /** Small: a reference to the input (an upload id), not the input itself. */
  readonly payload: P;
  readonly maxAttempts?: number;
  /** Who asked (e.g. `user:<id>`), for the audit trail. */
  readonly requestedBy?: string;
}

export interface ProgressUpdate {
  readonly done?: number;
  readonly total?: number;
  /** Merged into the counters reported so far (a key sent again replaces its value). */
  readonly counters?: Readonly<Record<string, number>>;
}

export interface JobContext<P extends JsonValue = JsonValue, C extends JsonValue = JsonValue> {
  readonly jobId: string;
  readonly tenantId: string;
  readonly kind: string;
  readonly concurrencyKey: string;
  readonly payload: P;
  /** 1 on the first run; more after a runner died or a retryable failure. */
  readonly attempt: number;
  /** An earlier run started this job (its runner died, shut down or failed retryably): continue from `checkpoint`. */
  readonly resumed: boolean;
  /** The last checkpoint saved with saveCheckpoint, by any earlier run. */
  readonly checkpoint: C | null;
  /**
   * Aborted on cancellation, on shutdown and when this runner lost the job's lease. On abort the handler should
   * throw (`signal.throwIfAborted()`); a handler that returns normally has succeeded, whatever the signal says.
   */
  readonly signal: AbortSignal;
  /** Cheap to call as often as you like: the database is written at most once per progress interval. */
  reportProgress(update: ProgressUpdate): void;
  /**
   * Stores the resume point in the handler's own transaction, fenced on this run's lease: it throws JobLeaseLost
   * (rolling the transaction back) when another runner has taken the job over. Call it last before COMMIT:
   * it holds the job's row until then, and this job's heartbeats wait for it.
   */
  saveCheckpoint(tx: PoolClient, checkpoint: C): Promise<void>;
  /** Extends the lease now (it is also extended on a timer while the event loop is free). */
  heartbeat(): Promise<void>;
}

export type JobHandler<P extends JsonValue = JsonValue, R extends JsonValue = JsonValue, C extends JsonValue = JsonValue> = (
  ctx: JobContext<P, C>,
) => Promise<R>;

export interface JobLimits {
  /** Beyond it, submit throws JobQueueFull (the HTTP layer answers 429). */
  readonly maxQueuedPerTenant: number;
  /** Running jobs per tenant across all runners; the others wait their turn. */
  readonly maxRunningPerTenant: number;
}

export interface ListJobsFilter {
  readonly kind?: string;
  readonly state?: JobState;
  readonly concurrencyKey?: string;
  readonly limit?: number;
}
