import type { Pool, PoolClient } from 'pg';

/**
 * Runs `work` in a transaction on a pooled connection. A connection lost while checked out emits 'error' on
 * the client, which would crash the process if nobody listened; here it is heard, and the broken client is
 * destroyed instead of going back to the pool.
 */
export async function withTransaction<T>(pool: Pool, work: (tx: PoolClient) => Promise<T>): Promise<T> {
  const tx = await pool.connect();
  let broken: Error | undefined;
  const onLost = (error: Error) => void (broken = error);
  tx.on('error', onLost);
  try {
    await tx.query('BEGIN');
    const result = await work(tx);
    await tx.query('COMMIT');
    return result;
  } catch (error) {
    await tx.query('ROLLBACK').catch((rollbackError: unknown) => void (broken ??= rollbackError as Error));
    throw error;
  } finally {
    tx.off('error', onLost);
    tx.release(broken);
  }
}
