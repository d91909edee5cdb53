import type { JsonValue } from '@pm/platform/scheduler';
import type { Job, JobState } from './job.types';

export interface JobRow {
  id: string;
  tenant_id: string;
  kind: string;
  concurrency_key: string;
  state: JobState;
  payload: JsonValue;
  progress_done: number;
  progress_total: number | null;
  counters: Record<string, number>;
  checkpoint: JsonValue | null;
  result: JsonValue | null;
  error_code: string | null;
  error_message: string | null;
  attempts: number;
  max_attempts: number;
  cancel_requested: boolean;
  requested_by: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  updated_at: Date;
  heartbeat_at: Date | null;
  lease_expires_at: Date | null;
}

// bigint progress read as float8: exact up to 2^53, and a number rather than pg's string for int8.
export const JOB_COLUMNS = `id, tenant_id, kind, concurrency_key, state, payload, progress_done::float8 AS progress_done,
  progress_total::float8 AS progress_total, counters, checkpoint, result, error_code, error_message, attempts, max_attempts,
  cancel_requested, requested_by, created_at, started_at, finished_at, updated_at, heartbeat_at, lease_expires_at`;

export function toJob(row: JobRow): Job {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    kind: row.kind,
    concurrencyKey: row.concurrency_key,
    state: row.state,
    payload: row.payload,
    progress: { done: row.progress_done, total: row.progress_total, counters: row.counters },
    result: row.result,
    error: row.error_code === null ? null : { code: row.error_code, message: row.error_message ?? '' },
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    cancelRequested: row.cancel_requested,
    requestedBy: row.requested_by,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    updatedAt: row.updated_at,
    heartbeatAt: row.heartbeat_at,
    leaseExpiresAt: row.lease_expires_at,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A job id from a URL is client data: anything that is not a UUID simply names no job. */
export const isJobId = (id: unknown): id is string => typeof id === 'string' && UUID.test(id);
