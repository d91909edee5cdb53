import type { Pool } from 'pg';
import type { Checkpoint } from '@pm/platform/event-store';

/** The position of the last event committed and visible now: what a caller's read must include. */
export async function logHead(pool: Pick<Pool, 'query'>): Promise<string> {
  const res = await pool.query<{ p: string }>('SELECT coalesce(max(global_position), 0)::text AS p FROM es_events');
  return res.rows[0].p;
}

/**
 * Events at or before `head` that a projection at `checkpoint` has not applied yet (the log is read in
 * (transaction id, position) order, so such an event may sit behind a later position). Uses the log-order index.
 */
export async function unappliedUpTo(pool: Pick<Pool, 'query'>, checkpoint: Checkpoint, head: string): Promise<number> {
  const res = await pool.query<{ n: string }>(
    'SELECT count(*)::text AS n FROM es_events WHERE (transaction_id, global_position) > ($1::text::xid8, $2::bigint) AND global_position <= $3::bigint',
    [checkpoint.transactionId, checkpoint.position, head],
  );
  return Number(res.rows[0].n);
}
