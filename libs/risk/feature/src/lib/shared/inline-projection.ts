import { randomUUID } from 'node:crypto';
import { contractRegistry } from '@pm/contracts';
import type { WritePlan } from '@pm/platform/event-store';
import { RiskRegisterProjection, withExposureMarks } from '@pm/risk/data-access';

const projection = withExposureMarks(new RiskRegisterProjection());

/**
 * Writes the rows of a plan's decided events in the plan's own transaction, so a command's answer and the next read
 * agree at once, whatever else runs on the PostgreSQL server. The store-fed runner applies the same events later from
 * the log; the projection's stream-version guards make that second application change nothing, and a rebuild replays
 * the log alone.
 */
export function projectInPlan(tx: WritePlan, streamId: string, versionBefore: number, events: ReadonlyArray<{ readonly type: string; readonly data: unknown }>): void {
  if (events.length === 0) return;
  const { tenantId } = tx.ctx.principal;
  const occurredAt = tx.ctx.now;
  const rows = events.flatMap((event, i) => {
    const type = `pm.risk.${event.type}`;
    if (!projection.handles.includes(type)) return [];
    const schemaVersion = contractRegistry.latest(type).version;
    return [{ eventId: randomUUID(), type, schemaVersion, tenantId, streamId, streamVersion: versionBefore + i + 1, occurredAt, recordedAt: occurredAt, data: event.data }];
  });
  // The command's own events are new: no read of the rows' versions, and one exposure mark per project.
  if (rows.length > 0) tx.alsoInTransaction((client) => projection.applyNew(rows, client));
}
