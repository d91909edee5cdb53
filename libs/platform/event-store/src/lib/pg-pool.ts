import { Pool, types } from 'pg';
import type { PoolConfig } from 'pg';

// int8 (bigint) stays a string unless asked; counts and versions are cast explicitly in SQL instead.
types.setTypeParser(types.builtins.INT8, (v: string) => v);

export type PoolErrorListener = (error: Error) => void;

const logToStderr: PoolErrorListener = (error) =>
  process.stderr.write(`${JSON.stringify({ level: 'warn', msg: 'idle PostgreSQL connection lost', err: error.message })}\n`);

/**
 * A pool whose idle connections may die (server restart, failover, a proxy's idle timeout) without taking the
 * process down: pg emits 'error' on the pool for them, and an unhandled 'error' event would crash Node. The
 * broken connection is discarded by the pool; the next query opens a new one.
 */
export function createPgPool(
  url: string,
  options: Omit<PoolConfig, 'connectionString'> & { onError?: PoolErrorListener } = {},
): Pool {
  const { onError = logToStderr, ...config } = options;
  const pool = new Pool({ connectionString: url, max: 20, idleTimeoutMillis: 10_000, ...config });
  pool.on('error', onError);
  return pool;
}
