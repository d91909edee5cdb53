import type { Pool } from 'pg';
import { createTestDatabase } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { createPgPool } from './pg-pool';
import { TableStatistics, analyzeIntervalFromEnv } from './table-statistics';

describe('TableStatistics (real PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;

  beforeAll(async () => {
    db = await createTestDatabase('table_statistics');
    pool = createPgPool(db.url);
    await pool.query('CREATE TABLE facts (tenant_id text NOT NULL, project_id int NOT NULL, PRIMARY KEY (tenant_id, project_id))');
    await pool.query('CREATE TABLE other (id int PRIMARY KEY)');
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  const planOf = async (sql: string) => (await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`)).rows.map((r) => r['QUERY PLAN']).join('\n');
  const lastAnalyzed = async (table: string) =>
    (await pool.query<{ n: number }>('SELECT (SELECT count(*) FROM pg_stat_user_tables WHERE relname = $1 AND last_analyze IS NOT NULL)::int AS n', [table])).rows[0].n;

  it('analyzes a table that grew past the threshold since it was last analyzed, and leaves the others', async () => {
    const writer = await pool.connect();
    try {
      await writer.query("INSERT INTO facts SELECT 't' || (i % 2), i FROM generate_series(1, 5000) i");
      await writer.query('INSERT INTO other SELECT generate_series(1, 10)');
      // A backend hands its counts to the shared statistics at most once a second (10 s when idle): now, please.
      await writer.query('SELECT pg_stat_force_next_flush()');
      await writer.query('SELECT 1');
    } finally {
      writer.release();
    }
    const stats = new TableStatistics(pool, 0);
    expect(await stats.refresh()).toEqual(['public.facts']);
    expect(await lastAnalyzed('facts')).toBe(1);
    expect(await lastAnalyzed('other')).toBe(0); // 10 changes: under PostgreSQL's own threshold of 50
    // The planner now knows the table's size: a tenant's half of it is not estimated as a handful of rows.
    expect(await planOf("SELECT * FROM facts WHERE tenant_id = 't1'")).toMatch(/rows=2[0-9]{3}/);
    // Nothing changed since: nothing to do.
    expect(await stats.refresh()).toEqual([]);
  });

  it('reads its interval from PG_ANALYZE_INTERVAL_MS: 60 s by default, 0 turns it off, anything else is refused', () => {
    expect(analyzeIntervalFromEnv({})).toBe(60_000);
    expect(analyzeIntervalFromEnv({ PG_ANALYZE_INTERVAL_MS: '0' })).toBe(0);
    expect(() => analyzeIntervalFromEnv({ PG_ANALYZE_INTERVAL_MS: '-5' })).toThrow(/PG_ANALYZE_INTERVAL_MS/);
  });
});
