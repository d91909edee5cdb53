import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { createPgPool, runMigrations } from '@pm/platform/event-store';
import type { ProjectionEvent } from '@pm/platform/projections';
import { createTestDatabase } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { recordFacts } from './portfolio-facts.batch-writer';
import { PROJECT_FACTS } from './portfolio.projection';
import { writeSummaries } from './project-summary.batch';
import { REPORTING_MIGRATIONS } from './reporting.migrations';

const GROWTH = 3_000;

/**
 * The read model's reads by keys (a batch's current fact and summary rows, its applied event ids) must
 * cost what the keys cost, whatever size the tables had when a connection first ran them. Named (prepared) statements
 * keep a plan per connection: the ones kept after six calls on empty tables read the whole table on every later call
 * until the next ANALYZE (ADR 0023 amendment); these reads are planned on every call now.
 */
describe("reporting's reads by keys on tables that grew (real PostgreSQL)", () => {
  let db: TestDatabase;
  let pool: Pool;
  let client: PoolClient;
  const tenant = 'tenant-plans';

  beforeAll(async () => {
    db = await createTestDatabase('reporting_plans');
    await runMigrations(db.url, REPORTING_MIGRATIONS);
    // One connection: the statements are prepared, and their plans kept, in its session. No autovacuum: no ANALYZE
    // may replace a kept plan while the spec runs.
    pool = createPgPool(db.url, { max: 1 });
    client = await pool.connect();
    for (const table of ['portfolio_project_facts', 'project_summaries']) await client.query(`ALTER TABLE ${table} SET (autovacuum_enabled = false)`);
  });
  afterAll(async () => {
    client?.release();
    await pool?.end();
    await db?.drop();
  });

  const event = (projectId: string, streamVersion: number): ProjectionEvent => ({
    eventId: randomUUID(),
    type: 'pm.planning.ProjectCreated',
    schemaVersion: 1,
    tenantId: tenant,
    streamId: `project-${projectId}`,
    streamVersion,
    occurredAt: '2026-12-01T09:00:00.000Z',
    recordedAt: '2026-12-01T09:00:00.000Z',
    data: {},
  });

  /**
   * Six calls of ten keys on empty tables: PostgreSQL tries five custom plans, then keeps the generic one, which for an
   * array parameter it costs as ten elements (with one key a call it would keep planning afresh).
   */
  async function callSixTimesOnEmptyTables(): Promise<void> {
    for (let i = 0; i < 6; i++) {
      const projectIds = Array.from({ length: 10 }, () => randomUUID());
      await client.query('BEGIN');
      await recordFacts(
        client,
        PROJECT_FACTS,
        projectIds.map((id) => ({ event: event(id, 1), key: id, patch: { name: 'P', status: 'proposed' } })),
      );
      await writeSummaries(
        client,
        projectIds.map((id) => ({ kind: 'created', row: summaryRow(id) })),
        () => {
          throw new Error('missing');
        },
      );
      await client.query('ROLLBACK');
    }
  }

  const summaryRow = (projectId: string) => ({
    tenant_id: tenant,
    project_id: projectId,
    name: 'P',
    status: 'proposed',
    priority: 'medium',
    currency: 'EUR',
    created_at: '2026-12-01T09:00:00.000Z',
    stream_version: 1,
    updated_at: '2026-12-01T09:00:00.000Z',
  });

  async function grow(): Promise<string[]> {
    const { rows } = await client.query<{ id: string }>(`SELECT gen_random_uuid()::text AS id FROM generate_series(1, ${GROWTH})`);
    const ids = rows.map((r) => r.id);
    await client.query(
      `INSERT INTO portfolio_project_facts (tenant_id, project_id, event_id, stream_version, recorded_at, valid_from, name)
       SELECT $1, id::uuid, gen_random_uuid()::text, 1, now(), now(), 'P' FROM unnest($2::text[]) AS id`,
      [tenant, ids],
    );
    await client.query(
      `INSERT INTO project_summaries (tenant_id, project_id, name, status, priority, currency, created_at, stream_version, updated_at)
       SELECT $1, id::uuid, 'P', 'proposed', 'medium', 'EUR', now(), 1, now() FROM unnest($2::text[]) AS id`,
      [tenant, ids],
    );
    return ids;
  }

  /** Rows this transaction has read from `table` so far, by sequential and index scans (including rows then filtered out). */
  async function rowsRead(table: string): Promise<number> {
    const { rows } = await client.query<{ n: string }>(
      'SELECT coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0) AS n FROM pg_stat_xact_user_tables WHERE relname = $1',
      [table],
    );
    return Number(rows[0].n);
  }

  async function readsDuring(table: string, call: () => Promise<unknown>): Promise<number> {
    const before = await rowsRead(table);
    await call();
    return (await rowsRead(table)) - before;
  }

  it('reads a few keys of tables that grew to thousands of rows after their first calls by reading only those keys', async () => {
    await callSixTimesOnEmptyTables();
    const ids = (await grow()).slice(0, 5);
    await client.query('BEGIN');
    try {
      const facts = await readsDuring('portfolio_project_facts', () =>
        recordFacts(
          client,
          PROJECT_FACTS,
          ids.map((id) => ({ event: event(id, 2), key: id, patch: { status: 'active' } })),
        ),
      );
      const summaries = await readsDuring('project_summaries', () =>
        writeSummaries(
          client,
          ids.map((id) => ({ kind: 'set', tenantId: tenant, projectId: id, column: 'status', value: 'active', streamVersion: 2, at: '2026-12-02T09:00:00.000Z' })),
          () => {
            throw new Error('missing');
          },
        ),
      );
      // A few reads a key, not the table's thousands: facts read each key's current row, its event id and the row
      // closed; summaries each row, then the upsert's conflicting row.
      expect(facts).toBeLessThanOrEqual(3 * ids.length);
      expect(summaries).toBeLessThanOrEqual(2 * ids.length);
      // And what they wrote is there.
      const { rows } = await client.query('SELECT count(*)::int AS n FROM portfolio_project_facts WHERE tenant_id = $1 AND status = $2 AND valid_to = $3', [tenant, 'active', 'infinity']);
      expect(rows[0].n).toBe(ids.length);
    } finally {
      await client.query('ROLLBACK');
    }
  });
});
