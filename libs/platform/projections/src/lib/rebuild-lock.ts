import type { PoolClient } from 'pg';
import { prepared } from '@pm/platform/event-store';

/** Stable 32-bit key per read model (the same in every process). */
export function rebuildLockKey(readModel: string): number {
  let h = 0x706d7270;
  for (let i = 0; i < readModel.length; i++) h = (Math.imul(31, h) + readModel.charCodeAt(i)) | 0;
  return h;
}

/** A read model is being rebuilt: live updates wait (consumers treat this as transient) until it is done. */
export class ProjectionRebuildInProgress extends Error {
  readonly code = 'PROJECTION_REBUILDING';
  readonly transient = true;
  constructor(readonly readModel: string) {
    super(`Read model ${readModel} is being rebuilt; live updates resume when it is done`);
    this.name = 'ProjectionRebuildInProgress';
  }
}

/**
 * Live updates take the read model's lock shared, for their transaction; a rebuild holds it exclusively for its
 * whole run. So a live update never lands between the reset and the replay (where an update of a row not yet
 * re-created would be lost while its inbox row says "done").
 */
export async function guardAgainstRebuild(tx: PoolClient, readModel: string): Promise<void> {
  const res = await tx.query<{ ok: boolean }>(prepared('SELECT pg_try_advisory_xact_lock_shared($1) AS ok', [rebuildLockKey(readModel)]));
  if (!res.rows[0].ok) throw new ProjectionRebuildInProgress(readModel);
}

/**
 * guardAgainstRebuild once per transaction and read model: the shared lock is the transaction's until it ends, so
 * taking it again for every event of a batch only costs a round trip each. `begin` at each transaction's start (a
 * consumer's transaction scope); without it every call takes the lock.
 */
export class TransactionRebuildGuards {
  private readonly held = new WeakMap<PoolClient, Set<string>>();

  begin(tx: PoolClient): void {
    this.held.set(tx, new Set());
  }

  /** Takes the locks of the read models not yet guarded in this transaction, in one statement. */
  async guard(tx: PoolClient, ...readModels: string[]): Promise<void> {
    const held = this.held.get(tx);
    const needed = [...new Set(readModels)].filter((m) => !held?.has(m));
    if (needed.length === 0) return;
    if (needed.length === 1) await guardAgainstRebuild(tx, needed[0]);
    else {
      const res = await tx.query<{ ok: boolean }>(
        prepared('SELECT pg_try_advisory_xact_lock_shared(u.k) AS ok FROM unnest($1::int[]) WITH ORDINALITY AS u(k, i) ORDER BY u.i', [needed.map(rebuildLockKey)]),
      );
      const blocked = res.rows.findIndex((r) => !r.ok);
      if (blocked >= 0) throw new ProjectionRebuildInProgress(needed[blocked]);
    }
    for (const m of needed) held?.add(m);
  }
}

/** Holds the read model's lock exclusively on a dedicated session until `release` is called. */
export async function holdRebuildLock(client: PoolClient, readModel: string): Promise<() => Promise<void>> {
  const key = rebuildLockKey(readModel);
  await client.query('SELECT pg_advisory_lock($1)', [key]);
  return async () => {
    await client.query('SELECT pg_advisory_unlock($1)', [key]);
  };
}
