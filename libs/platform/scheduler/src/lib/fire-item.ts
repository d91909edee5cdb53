import type { Pool, PoolClient } from 'pg';
import { backoffDelayMs } from './backoff';
import { withTransaction } from './pg-transaction';
import { RecurrenceNotInFuture } from './scheduler.errors';
import { describeError } from './work-logger';
import type { ItemRow } from './scheduled-items.repository';
import type { FireContext, FireOutcome, FireResult, RetryPolicy, ScheduledHandler } from './scheduler.types';

export interface Candidate {
  readonly tenant_id: string;
  readonly kind: string;
  readonly key: string;
  readonly due_at: Date;
}

export interface FireReport {
  readonly outcome: FireOutcome;
  /** Set when the handler failed (retry or failed), for the log. */
  readonly error?: { code: string; message: string };
  readonly attempts?: number;
  readonly dueAt?: Date;
}

/**
 * The item's claim: an advisory lock (a replica holding it is firing the item right now), taken without writing, so
 * the transaction has no xid while the handler reads and talks to the outside world (an SMTP server, a webhook
 * receiver). A row lock (`FOR UPDATE`) would write the row's xmax, give the transaction its xid at once, and hold back
 * every xid8-ordered reader of this database (the relay, the store projections) for as long as the handler waits on
 * that world. The two-key form keeps these locks apart from the platform's one-key advisory locks.
 */
const CLAIM_ITEM = `SELECT pg_try_advisory_xact_lock(${0x5343_4844}, hashtext($1 || '/' || $2 || '/' || $3)) AS got`;

/**
 * Read after the claim, in its own statement: READ COMMITTED gives it a snapshot taken after the lock was granted,
 * and a replica that fired the item released the lock only after its COMMIT was visible, so a fired item is never
 * seen as still due here.
 */
const DUE_ITEM = `
SELECT tenant_id, kind, key, due_at, payload, state, attempts, version::text AS version
FROM scheduler_items
WHERE tenant_id = $1 AND kind = $2 AND key = $3 AND state = 'pending' AND due_at <= $4`;

const PK = 'tenant_id = $1 AND kind = $2 AND key = $3 AND version = $4';

/**
 * Fires one item in one transaction: claim it (skipped when another replica has it, or it was rescheduled away),
 * run the handler on the transaction's client, complete the item, commit. The handler's writes and the
 * completion commit together, so a crash before COMMIT leaves the item due (it fires again) and nothing fires
 * twice after a COMMIT. A failure rolls back to a savepoint, keeping the claim while the attempt is recorded,
 * so no other replica can run the item in between.
 */
export async function fireItem(
  pool: Pool,
  candidate: Candidate,
  now: Date,
  handler: ScheduledHandler,
  retry: RetryPolicy,
  onLocked?: (row: ItemRow) => void,
): Promise<FireReport> {
  // A connection lost mid-way (process or server restart) rolls the whole attempt back: the item stays as it was
  // and fires again, and withTransaction destroys the broken client instead of pooling it.
  return withTransaction<FireReport>(pool, async (tx) => {
    const claim = await tx.query<{ got: boolean }>(CLAIM_ITEM, [candidate.tenant_id, candidate.kind, candidate.key]);
    if (!claim.rows[0]?.got) return { outcome: 'skipped' };
    const locked = await tx.query<ItemRow>(DUE_ITEM, [candidate.tenant_id, candidate.kind, candidate.key, now]);
    if (locked.rows.length === 0) return { outcome: 'skipped' };
    const row = locked.rows[0];
    onLocked?.(row);
    await tx.query('SAVEPOINT fire');
    return runHandler(tx, row, now, handler, retry);
  });
}

async function runHandler(tx: PoolClient, row: ItemRow, now: Date, handler: ScheduledHandler, retry: RetryPolicy): Promise<FireReport> {
  try {
    const result = await handler(fireContextOf(row, now, tx));
    // Inside the try: a handler that swallowed an SQL error leaves the transaction aborted, and this completion
    // then fails; that counts as the handler's failure, not as a broken connection (which would re-fire forever).
    return await completeFired(tx, row, result, now);
  } catch (error) {
    await tx.query('ROLLBACK TO SAVEPOINT fire');
    const key = [row.tenant_id, row.kind, row.key, row.version];
    const attempts = row.attempts + 1;
    const described = describeError(error);
    const failed = attempts >= retry.maxAttempts;
    const retryAt = new Date(now.getTime() + backoffDelayMs(attempts, retry));
    await tx.query(
      `UPDATE scheduler_items SET state = $5, attempts = $6, due_at = CASE WHEN $5 = 'failed' THEN due_at ELSE $7 END,
         last_error_code = $8, last_error_message = $9, last_failed_at = $10, updated_at = $10 WHERE ${PK}`,
      [...key, failed ? 'failed' : 'pending', attempts, retryAt, described.code, described.message, now],
    );
    return { outcome: failed ? 'failed' : 'retry', error: described, attempts, dueAt: failed ? undefined : retryAt };
  }
}

/** What a handler is given for a locked item, on the transaction that completes it. */
export function fireContextOf(row: ItemRow, now: Date, tx: PoolClient): FireContext {
  return { tenantId: row.tenant_id, kind: row.kind, key: row.key, payload: row.payload, dueAt: row.due_at, firedAt: now, attempt: row.attempts + 1, tx };
}

/** Completes a fired item as its handler's result says: removed (one-shot), or moved to its next due time (recurring). */
export async function completeFired(tx: PoolClient, row: ItemRow, result: FireResult, now: Date): Promise<FireReport> {
  const key = [row.tenant_id, row.kind, row.key, row.version];
  if (result && result.nextDueAt instanceof Date && !Number.isNaN(result.nextDueAt.getTime())) {
    // A recurrence that does not move forward would fire in every round for ever.
    if (result.nextDueAt <= row.due_at) throw new RecurrenceNotInFuture(result.nextDueAt, row.due_at);
    await tx.query(
      `UPDATE scheduler_items SET due_at = $5, payload = coalesce($6::jsonb, payload), attempts = 0, last_error_code = NULL,
         last_error_message = NULL, last_failed_at = NULL, updated_at = $7 WHERE ${PK}`,
      [...key, result.nextDueAt, result.payload === undefined ? null : JSON.stringify(result.payload), now],
    );
    return { outcome: 'rescheduled', dueAt: result.nextDueAt };
  }
  await tx.query(`DELETE FROM scheduler_items WHERE ${PK}`, key);
  return { outcome: 'fired' };
}
