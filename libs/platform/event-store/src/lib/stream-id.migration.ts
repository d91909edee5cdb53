import type { MigrationInterface, QueryRunner } from 'typeorm';
import { streamIdOf } from '@pm/shared/ddd';

/** How a stream id of the old form (`<prefix><id>`, no tenant) becomes a tenant-scoped one. */
export interface StreamIdRule {
  /** e.g. `schedule-`. */
  readonly oldPrefix: string;
  /** e.g. `schedule`. */
  readonly category: string;
  /** One stream per tenant (`tenant-calendar-<tenant>`): its id becomes `default`. */
  readonly perTenant?: boolean;
}

type MigrationClass = new () => MigrationInterface;

/**
 * Moves a service's streams to tenant-scoped ids (`<category>:<tenant>:<id>`, see `streamIdOf`): each stream is
 * renamed with the tenant its events carry, in one statement per stream, so versions, positions and transaction
 * ids stay as they were (the log order does not change). Snapshots of old ids are dropped: they are an
 * optimisation and the next command takes a new one. Idempotent: ids already scoped do not match an old prefix.
 */
export function tenantScopedStreamIdsMigration(name: string, rules: readonly StreamIdRule[]): MigrationClass {
  return class TenantScopedStreamIds implements MigrationInterface {
    name = name;
    async up(q: QueryRunner): Promise<void> {
      for (const rule of rules) {
        const like = `${rule.oldPrefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        const streams: Array<{ stream_id: string; tenant_id: string }> = await q.query(
          'SELECT DISTINCT stream_id, tenant_id FROM es_events WHERE stream_id LIKE $1',
          [like],
        );
        for (const { stream_id: oldId, tenant_id: tenantId } of streams) {
          const id = rule.perTenant ? 'default' : oldId.slice(rule.oldPrefix.length);
          await q.query('UPDATE es_events SET stream_id = $1 WHERE stream_id = $2', [streamIdOf(rule.category, tenantId, id), oldId]);
        }
        await q.query('DELETE FROM es_snapshots WHERE stream_id LIKE $1', [like]);
      }
    }
    async down(): Promise<void> {
      // Old ids cannot be told apart across tenants once two tenants used the same id: this migration is one way.
    }
  };
}
