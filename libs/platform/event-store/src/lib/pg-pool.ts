import { Pool, types } from 'pg';
import type { PoolConfig } from 'pg';

// int8 (bigint) stays a string unless asked; counts and versions are cast explicitly in SQL instead.
types.setTypeParser(types.builtins.INT8, (v: string) => v);

export function createPgPool(url: string, options: Omit<PoolConfig, 'connectionString'> = {}): Pool {
  return new Pool({ connectionString: url, max: 20, idleTimeoutMillis: 10_000, ...options });
}
