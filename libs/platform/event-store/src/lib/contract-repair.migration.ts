import type { MigrationInterface, QueryRunner } from 'typeorm';
import { contractRegistry, isEventContractError } from '@pm/contracts';
import { publicTypeOf } from './write-path/event-contract-check';

type MigrationClass = new () => MigrationInterface;

interface Row {
  global_position: string;
  stream_id: string;
  event_type: string;
  schema_version: number;
  data: unknown;
}

const valueAt = (data: unknown, path: readonly PropertyKey[]): unknown =>
  path.reduce<unknown>((value, key) => (value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined), data);

/** What is wrong with a stored event, by its contract: null when it is fine. */
function violation(context: string, row: Row): { missingOnly: boolean; issues: string[] } | null {
  const type = publicTypeOf(context, row.event_type);
  if (!contractRegistry.find(type, 1)) return { missingOnly: false, issues: ['no contract for this type'] };
  try {
    contractRegistry.parse(type, row.schema_version, row.data);
    return null;
  } catch (error) {
    const issues = isEventContractError(error) ? error.issues : [];
    if (issues.length === 0) return { missingOnly: false, issues: [error instanceof Error ? error.message : String(error)] };
    return {
      missingOnly: issues.every((issue) => valueAt(row.data, issue.path) === undefined),
      issues: issues.map((issue) => `/${issue.path.map(String).join('/')}: ${issue.message}`),
    };
  }
}

/**
 * Repairs a store written before every event was checked against its contract (ADR 0008). Before that, a client id
 * such as `constructor` found a property of Object.prototype instead of an entity, and the decision wrote an event
 * about it whose id fields were `undefined` (dropped by JSON): a fact about nothing, which every fold ignored and
 * every consumer dead-lettered. Such events (every violation is a missing field) move to `es_quarantine` with the
 * reason, so every stream loads, every projection applies and subscribers replaying the store see only valid
 * events. Any other violation is recorded there too but left in the log for an operator to judge (logged as a
 * warning): the migration never silently drops a fact that might matter.
 */
export function contractRepairMigration(name: string, context: string): MigrationClass {
  return class ContractRepair implements MigrationInterface {
    name = name;
    async up(q: QueryRunner): Promise<void> {
      await q.query(`
        CREATE TABLE IF NOT EXISTS es_quarantine (
          global_position bigint PRIMARY KEY,
          moved           boolean     NOT NULL,
          reason          text        NOT NULL,
          event           jsonb       NOT NULL,
          recorded_at     timestamptz NOT NULL DEFAULT now()
        )`);
      // ORDER BY names the column, not the text alias above: ordered as text ('77' after '5499'), a batch would end
      // early in number order and the next one would skip every smaller position it had not read, for good.
      let after = '0';
      for (;;) {
        const rows: Row[] = await q.query(
          `SELECT global_position::text AS global_position, stream_id, event_type, schema_version, data FROM es_events
            WHERE global_position > $1::bigint ORDER BY es_events.global_position LIMIT 5000`,
          [after],
        );
        if (rows.length === 0) return;
        after = rows[rows.length - 1].global_position;
        for (const row of rows) {
          const found = violation(context, row);
          if (!found) continue;
          const reason = found.issues.join('; ');
          await q.query(
            `INSERT INTO es_quarantine (global_position, moved, reason, event)
             SELECT global_position, $2, $3, to_jsonb(es_events) FROM es_events WHERE global_position = $1::bigint
             ON CONFLICT (global_position) DO NOTHING`,
            [row.global_position, found.missingOnly, reason],
          );
          if (found.missingOnly) await q.query('DELETE FROM es_events WHERE global_position = $1::bigint', [row.global_position]);
          else process.emitWarning(`${row.stream_id} ${row.event_type} at ${row.global_position} breaks its contract and was kept: ${reason}`);
        }
      }
    }
    async down(): Promise<void> {
      // Quarantined events stay in es_quarantine, from where an operator can put one back by hand.
    }
  };
}
