import { Client } from 'pg';
import { z } from 'zod';
import { defineEventContract } from '@pm/contracts';
import { createTestDatabase } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { contractRepairMigration } from './contract-repair.migration';
import { EVENT_STORE_MIGRATIONS } from './event-store.migrations';
import { runMigrations } from './migrations';

defineEventContract({ context: 'planning', name: 'TestRepairNoted', version: 1, schema: z.strictObject({ id: z.string(), n: z.number().int() }), description: 'test', example: { id: 'x', n: 1 } });

/**
 * The repair reads the log in batches of 5,000 by position. A store larger than one batch must be checked whole:
 * positions are numbers, and a batch taken in any other order (say, of their text) skips events for good.
 */
describe('contractRepairMigration over more than one batch (real PostgreSQL)', () => {
  let db: TestDatabase;
  const TOTAL = 6000;
  // Spread over both batches, and where positions sort differently as text ('77' > '5499' as text).
  const DAMAGED = [3, 77, 700, 2500, 5999];

  beforeAll(async () => {
    db = await createTestDatabase('contract_repair_batches');
    await runMigrations(db.url, EVENT_STORE_MIGRATIONS);
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      // One statement, in order, into a fresh table: event n is at position n.
      await client.query(
        `INSERT INTO es_events (stream_id, stream_version, event_id, event_type, tenant_id, data, metadata, occurred_at)
         SELECT 'test:t:' || (g % 7), g, gen_random_uuid(), 'TestRepairNoted', 't',
                CASE WHEN g = ANY($2::int[]) THEN jsonb_build_object('n', g) ELSE jsonb_build_object('id', 'x', 'n', g) END,
                '{}'::jsonb, now()
           FROM generate_series(1, $1::int) AS g ORDER BY g`,
        [TOTAL, DAMAGED],
      );
      const misplaced = await client.query(`SELECT count(*)::int AS n FROM es_events WHERE global_position <> (data->>'n')::bigint`);
      expect(misplaced.rows[0].n).toBe(0);
      await runMigrations(db.url, [...EVENT_STORE_MIGRATIONS, contractRepairMigration('TestContractRepair1764300000200', 'planning')]);
    } finally {
      await client.end();
    }
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('moves every damaged event, in whichever batch it is, and each once', async () => {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      const quarantined = await client.query<{ p: number; moved: boolean; reason: string }>('SELECT global_position::int AS p, moved, reason FROM es_quarantine ORDER BY global_position');
      expect(quarantined.rows).toEqual(DAMAGED.map((p) => ({ p, moved: true, reason: '/id: Invalid input: expected string, received undefined' })));
      const left = await client.query<{ n: number; damaged: number }>(`SELECT count(*)::int AS n, count(*) FILTER (WHERE NOT data ? 'id')::int AS damaged FROM es_events`);
      expect(left.rows[0]).toEqual({ n: TOTAL - DAMAGED.length, damaged: 0 });
    } finally {
      await client.end();
    }
  });
});
