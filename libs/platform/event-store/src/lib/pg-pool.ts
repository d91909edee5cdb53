import { createHash } from 'node:crypto';
import { Pool, types } from 'pg';
import type { PoolConfig, QueryConfig } from 'pg';

// int8 (bigint) stays a string unless asked; counts and versions are cast explicitly in SQL instead.
types.setTypeParser(types.builtins.INT8, (v: string) => v);

export type PoolErrorListener = (error: Error) => void;

const logToStderr: PoolErrorListener = (error) =>
  process.stderr.write(`${JSON.stringify({ level: 'warn', msg: 'idle PostgreSQL connection lost', err: error.message })}\n`);

/** Defaults of {@link pgTimeoutsFromEnv}: a statement or an idle open transaction never holds a connection longer. */
export const DEFAULT_PG_STATEMENT_TIMEOUT_MS = 30_000;
export const DEFAULT_PG_IDLE_IN_TRANSACTION_TIMEOUT_MS = 60_000;
/** Default of {@link pgConnectTimeoutFromEnv}: the longest a caller waits for a connection of the pool. */
export const DEFAULT_PG_CONNECT_TIMEOUT_MS = 10_000;

export interface PgSessionTimeouts {
  /** PostgreSQL `statement_timeout` of every connection (ms; 0 = none). */
  readonly statement_timeout: number;
  /** PostgreSQL `idle_in_transaction_session_timeout` of every connection (ms; 0 = none). */
  readonly idle_in_transaction_session_timeout: number;
}

/**
 * `PG_STATEMENT_TIMEOUT_MS` (default 30 s) and `PG_IDLE_IN_TRANSACTION_TIMEOUT_MS` (default 60 s): what every service
 * pool sets on its connections, so a runaway query or a transaction left open by a stuck request cannot hold locks and
 * connections forever. Work that legitimately runs long statements (a read-model rebuild) builds its own pool with
 * larger values, or `SET LOCAL statement_timeout` inside its transaction.
 */
export function pgTimeoutsFromEnv(env: NodeJS.ProcessEnv = process.env): PgSessionTimeouts {
  return {
    statement_timeout: msFromEnv(env, 'PG_STATEMENT_TIMEOUT_MS', DEFAULT_PG_STATEMENT_TIMEOUT_MS),
    idle_in_transaction_session_timeout: msFromEnv(env, 'PG_IDLE_IN_TRANSACTION_TIMEOUT_MS', DEFAULT_PG_IDLE_IN_TRANSACTION_TIMEOUT_MS),
  };
}

export function msFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < 0) throw new Error(`${name} must be a whole number of milliseconds (0 = none), got "${raw}"`);
  return ms;
}

/**
 * `PG_CONNECT_TIMEOUT_MS` (default 10 s, 0 = none): how long a caller waits for a connection, a free one of the pool's
 * or a new one, before the wait fails with pg's "timeout exceeded when trying to connect" (a request answers 503
 * `DATABASE_UNAVAILABLE`, a consumer or relay waits the outage out). Without it, a pool whose connections are all
 * held makes every request wait with no bound.
 */
export function pgConnectTimeoutFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  return msFromEnv(env, 'PG_CONNECT_TIMEOUT_MS', DEFAULT_PG_CONNECT_TIMEOUT_MS);
}

/**
 * A pool whose idle connections may die (server restart, failover, a proxy's idle timeout) without taking the
 * process down: pg emits 'error' on the pool for them, and an unhandled 'error' event would crash Node. The
 * broken connection is discarded by the pool; the next query opens a new one. Its connections carry the session
 * timeouts of {@link pgTimeoutsFromEnv} unless the options set their own.
 */
export function createPgPool(
  url: string,
  options: Omit<PoolConfig, 'connectionString'> & { onError?: PoolErrorListener } = {},
): Pool {
  const { onError = logToStderr, ...config } = options;
  const pool = new Pool({ connectionString: url, max: 20, idleTimeoutMillis: 10_000, connectionTimeoutMillis: pgConnectTimeoutFromEnv(), ...pgTimeoutsFromEnv(), ...config });
  pool.on('error', onError);
  // pg listens for a connection's errors only while it sits idle in the pool. One that is checked out can be ended by
  // the server too (idle_in_transaction_session_timeout, a failover) between two queries: without a listener of
  // its own that 'error' event would crash the process. The holder's next query fails and its release discards it.
  pool.on('connect', (client) => client.on('error', onError));
  return pool;
}

const statementNames = new Map<string, string>();

/**
 * A query as a named (prepared) statement, its name a digest of its text: PostgreSQL parses it once per connection
 * instead of on every execution, and after five executions may keep one generic plan. For statements a hot path
 * runs again and again with a text that does not vary (ADR 0023); a text built from values would leave a prepared
 * statement per value on every connection.
 */
export function prepared(text: string, values: unknown[]): QueryConfig {
  let name = statementNames.get(text);
  if (!name) {
    name = `s_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    statementNames.set(text, name);
  }
  return { name, text, values };
}
