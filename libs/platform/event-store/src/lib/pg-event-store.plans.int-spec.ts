import type { Pool } from 'pg';
import { createTestDatabase, testEvent } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { EVENT_STORE_MIGRATIONS } from './event-store.migrations';
import { runMigrations } from './migrations';
import { PgEventStore } from './pg-event-store';
import { createPgPool, prepared } from './pg-pool';

/**
 * What every command pays on the server (ADR 0023): the load of one stream is planned once per connection, not on every
 * execution, and `prepared` statements are parsed once. One connection, so every query sees the same session.
 */
describe('statements planned once (real PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: PgEventStore;
  const t = 'tenant-a';

  beforeAll(async () => {
    db = await createTestDatabase('store_plans');
    await runMigrations(db.url, EVENT_STORE_MIGRATIONS);
  });
  // A fresh connection per case: its prepared statements start from none.
  beforeEach(() => {
    pool = createPgPool(db.url, { max: 1 });
    store = new PgEventStore(pool);
  });
  afterEach(() => pool.end());
  afterAll(() => db.drop());

  const plans = async (name: string) =>
    (await pool.query<{ generic: number; custom: number }>('SELECT generic_plans::int AS generic, custom_plans::int AS custom FROM pg_prepared_statements WHERE name = $1', [name])).rows[0];

  it.each([
    ['without a snapshot shape', undefined],
    ['with one', { type: 'PlanState', schemaVersion: 1 }],
  ])('loads one stream with a plan PostgreSQL keeps (%s), and still reads what was appended', async (_case, shape) => {
    for (let i = 1; i <= 8; i++) {
      await store.append(`plans-${i}`, [testEvent(t, 'Made', { n: i }), testEvent(t, 'Changed', { n: i + 1 })], 'no-stream');
      const { snapshot, tail } = await store.loadForFold(`plans-${i}`, t, shape);
      expect([snapshot, tail.map((e) => [e.streamVersion, e.type])]).toEqual([null, [[1, 'Made'], [2, 'Changed']]]);
    }
    // PostgreSQL tries five custom plans, then keeps the generic one when it costs no more; the array form never did.
    expect(await plans('es_load_one_for_fold')).toEqual({ generic: 3, custom: 5 });
    const many = await store.loadManyForFold(['plans-1', 'plans-2', 'plans-none'], t, shape);
    expect([...many].map(([id, f]) => [id, f.tail.length])).toEqual(
      expect.arrayContaining([
        ['plans-1', 2],
        ['plans-2', 2],
        ['plans-none', 0],
      ]),
    );
    await pool.query('TRUNCATE es_events');
  });

  it('parses a prepared() statement once per connection, under a name only its text gives', async () => {
    const text = 'SELECT $1::int + 1 AS n';
    const first = prepared(text, [1]);
    expect(prepared(text, [2]).name).toBe(first.name);
    expect(prepared('SELECT $1::int + 2 AS n', [1]).name).not.toBe(first.name);
    for (let i = 0; i < 3; i++) expect((await pool.query<{ n: number }>(prepared(text, [i]))).rows[0].n).toBe(i + 1);
    const { rows } = await pool.query<{ statement: string }>('SELECT statement FROM pg_prepared_statements WHERE name = $1', [first.name]);
    expect(rows).toEqual([{ statement: text }]);
  });
});
