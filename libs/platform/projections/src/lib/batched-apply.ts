import type { PoolClient } from 'pg';
import type { EventConsumerOptions } from '@pm/platform/messaging';
import type { Projection, ProjectionEvent } from './projection.types';
import { projectionEventsOf } from './projection-events';
import type { TransactionRebuildGuards } from './rebuild-lock';

/**
 * A consumer's handler and transaction scope for read models: projections with `applyBatch` gather their events and
 * apply them once per transaction, just before its COMMIT (the consumer's transaction scope); the others apply each
 * event as it comes. With `guards`, each read model's rebuild lock is taken (once per transaction) before it is
 * written. Used by the blue/green replay and by a live consumer alike, so both write through the same path.
 */
export function batchedApply(
  projections: readonly Projection[],
  guards?: TransactionRebuildGuards,
): Required<Pick<EventConsumerOptions, 'handler' | 'transactionScope'>> {
  const pending = new Map<PoolClient, Map<Projection, ProjectionEvent[]>>();
  return {
    handler: async (event, tx) => {
      const gathered = pending.get(tx);
      for (const pe of projectionEventsOf(event.envelope)) {
        for (const p of projections) {
          if (!p.handles.includes(pe.type)) continue;
          const list = p.applyBatch && gathered?.get(p);
          if (list) list.push(pe);
          else {
            await guards?.guard(tx, p.name);
            await p.apply(pe, tx);
          }
        }
      }
    },
    transactionScope: {
      begin: (tx) => {
        guards?.begin(tx);
        pending.set(tx, new Map(projections.filter((p) => p.applyBatch).map((p) => [p, []])));
      },
      flush: async (tx) => {
        const gathered = [...(pending.get(tx) ?? [])].filter(([, events]) => events.length > 0);
        pending.delete(tx);
        await guards?.guard(tx, ...gathered.map(([p]) => p.name));
        for (const [p, events] of gathered) await p.applyBatch?.(events, tx);
      },
    },
  };
}
