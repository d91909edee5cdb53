import type { Pool } from 'pg';
import { completeFired, fireContextOf } from './fire-item';
import type { Candidate, FireReport } from './fire-item';
import { withTransaction } from './pg-transaction';
import type { ItemRow } from './scheduled-items.repository';
import type { FireContext, FireResult, JsonValue } from './scheduler.types';

/**
 * Fires many items of one kind and one tenant at once: every context shares one transaction, and the handler answers
 * one result per context, in order. For work whose cost is mostly per transaction (an append, a commit) rather than per
 * item, such as the e-mails a burst of notifications makes due together (ADR 0017).
 */
export type BatchHandler<P extends JsonValue = JsonValue> = (fires: ReadonlyArray<FireContext<P>>) => Promise<readonly FireResult[]>;

/** Claims in one statement: the items whose advisory lock was granted (the same lock as a single firing takes). */
const CLAIM_MANY = `
SELECT c.i::int AS i FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS c(t, k, key, i)
WHERE pg_try_advisory_xact_lock(${0x5343_4844}, hashtext(c.t || '/' || c.k || '/' || c.key))`;

/** Read after the claims, in a statement of its own (see fire-item.ts): only items still due. */
const DUE_MANY = `
SELECT s.tenant_id, s.kind, s.key, s.due_at, s.payload, s.state, s.attempts, s.version::text AS version
FROM scheduler_items s JOIN unnest($1::text[], $2::text[], $3::text[]) AS c(t, k, key) ON s.tenant_id = c.t AND s.kind = c.k AND s.key = c.key
WHERE s.state = 'pending' AND s.due_at <= $4`;

const DELETE_MANY = `
DELETE FROM scheduler_items s USING unnest($1::text[], $2::text[], $3::text[], $4::int8[]) AS c(t, k, key, v)
WHERE s.tenant_id = c.t AND s.kind = c.k AND s.key = c.key AND s.version = c.v`;

export type BatchOutcome =
  /** Committed: a report per candidate, in order (`skipped` for one another replica had or that was no longer due). */
  | { readonly committed: true; readonly reports: readonly FireReport[] }
  /** The handler failed: nothing was written; these candidates are to be fired one at a time (with their retries). */
  | { readonly committed: false; readonly reports: readonly FireReport[]; readonly alone: readonly Candidate[] };

/**
 * One transaction for the candidates (same tenant, same kind): claim, read what is still due, hand it all to the
 * handler, complete every item (the one-shots in one statement), commit. If the handler throws, everything is rolled
 * back to before it and the claimed items go back to the caller to fire alone, so one bad item costs its own retries
 * and holds up none of the others.
 */
export async function fireBatch(pool: Pool, candidates: readonly Candidate[], now: Date, handler: BatchHandler, onLocked?: (row: ItemRow) => void): Promise<BatchOutcome> {
  const columns = (list: readonly Candidate[]) => [list.map((c) => c.tenant_id), list.map((c) => c.kind), list.map((c) => c.key)];
  return withTransaction<BatchOutcome>(pool, async (tx) => {
    const claimed = (await tx.query<{ i: number }>(CLAIM_MANY, columns(candidates))).rows.map((r) => candidates[r.i - 1]);
    const skippedAll: FireReport[] = candidates.map(() => ({ outcome: 'skipped' }));
    if (claimed.length === 0) return { committed: true, reports: skippedAll };
    const rows = (await tx.query<ItemRow>(DUE_MANY, [...columns(claimed), now])).rows;
    if (rows.length === 0) return { committed: true, reports: skippedAll };
    rows.forEach((row) => onLocked?.(row));
    await tx.query('SAVEPOINT fire');
    let results: readonly FireResult[];
    const reportOf = new Map<ItemRow, FireReport>();
    try {
      results = await handler(rows.map((row) => fireContextOf(row, now, tx)));
      if (results.length !== rows.length) throw new Error(`a batch handler answered ${results.length} results for ${rows.length} items`);
      const oneShots = rows.filter((_, i) => !(results[i] && results[i].nextDueAt instanceof Date));
      if (oneShots.length > 0) {
        await tx.query(DELETE_MANY, [...columns(oneShots), oneShots.map((r) => r.version)]);
        for (const row of oneShots) reportOf.set(row, { outcome: 'fired' });
      }
      for (const [i, row] of rows.entries()) if (!reportOf.has(row)) reportOf.set(row, await completeFired(tx, row, results[i], now));
    } catch {
      await tx.query('ROLLBACK TO SAVEPOINT fire');
      const alone = candidates.filter((c) => rows.some((r) => sameItem(r, c)));
      return { committed: false, reports: skippedAll, alone };
    }
    const reports = candidates.map((c): FireReport => {
      const row = rows.find((r) => sameItem(r, c));
      return (row && reportOf.get(row)) ?? { outcome: 'skipped' };
    });
    return { committed: true, reports };
  });
}

const sameItem = (row: ItemRow, c: Candidate) => row.tenant_id === c.tenant_id && row.kind === c.kind && row.key === c.key;
