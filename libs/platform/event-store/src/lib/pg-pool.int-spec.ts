import { createTestDatabase } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { createPgPool, DEFAULT_PG_CONNECT_TIMEOUT_MS, DEFAULT_PG_IDLE_IN_TRANSACTION_TIMEOUT_MS, DEFAULT_PG_STATEMENT_TIMEOUT_MS, pgConnectTimeoutFromEnv, pgTimeoutsFromEnv } from './pg-pool';

describe('createPgPool session timeouts', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('pg_pool_timeouts');
  });
  afterAll(async () => db?.drop());

  it('sets statement_timeout and idle_in_transaction_session_timeout on every connection by default', async () => {
    const pool = createPgPool(db.url);
    try {
      const { rows } = await pool.query<{ statement: string; idle: string }>(
        `SELECT current_setting('statement_timeout') AS statement, current_setting('idle_in_transaction_session_timeout') AS idle`,
      );
      expect(DEFAULT_PG_STATEMENT_TIMEOUT_MS).toBe(30_000);
      expect(DEFAULT_PG_IDLE_IN_TRANSACTION_TIMEOUT_MS).toBe(60_000);
      expect(rows[0]).toEqual({ statement: '30s', idle: '1min' });
    } finally {
      await pool.end();
    }
  });

  it('cancels a statement that runs past the timeout (SQLSTATE 57014)', async () => {
    const pool = createPgPool(db.url, { statement_timeout: 200 });
    try {
      await expect(pool.query('SELECT pg_sleep(5)')).rejects.toMatchObject({ code: '57014' });
    } finally {
      await pool.end();
    }
  });

  it('ends a session left idle in an open transaction without crashing the process that holds it', async () => {
    const seen: Error[] = [];
    const pool = createPgPool(db.url, { idle_in_transaction_session_timeout: 200, onError: (error) => seen.push(error) });
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await new Promise((r) => setTimeout(r, 600));
      await expect(client.query('SELECT 1')).rejects.toThrow();
      expect(seen.map((e) => (e as Error & { code?: string }).code)).toContain('25P03');
    } finally {
      client.release(true);
      await pool.end();
    }
  });

  it('fails a wait for a connection of a pool whose connections are all held, instead of waiting with no bound', async () => {
    const pool = createPgPool(db.url, { max: 1, connectionTimeoutMillis: 200 });
    const held = await pool.connect();
    try {
      // The message the HTTP layer answers with 503 DATABASE_UNAVAILABLE and consumers wait out as an outage.
      await expect(pool.query('SELECT 1')).rejects.toThrow(/timeout exceeded when trying to connect/);
    } finally {
      held.release();
    }
    expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows[0].one).toBe(1);
    await pool.end();
    expect(DEFAULT_PG_CONNECT_TIMEOUT_MS).toBe(10_000);
    expect(pgConnectTimeoutFromEnv({})).toBe(10_000);
    expect(pgConnectTimeoutFromEnv({ PG_CONNECT_TIMEOUT_MS: '0' })).toBe(0);
    expect(() => pgConnectTimeoutFromEnv({ PG_CONNECT_TIMEOUT_MS: 'later' })).toThrow(/PG_CONNECT_TIMEOUT_MS/);
  });

  it('reads PG_STATEMENT_TIMEOUT_MS and PG_IDLE_IN_TRANSACTION_TIMEOUT_MS, 0 meaning none, and refuses nonsense', () => {
    expect(pgTimeoutsFromEnv({ PG_STATEMENT_TIMEOUT_MS: '5000', PG_IDLE_IN_TRANSACTION_TIMEOUT_MS: '0' })).toEqual({
      statement_timeout: 5000,
      idle_in_transaction_session_timeout: 0,
    });
    expect(() => pgTimeoutsFromEnv({ PG_STATEMENT_TIMEOUT_MS: 'soon' })).toThrow(/PG_STATEMENT_TIMEOUT_MS/);
  });
});
