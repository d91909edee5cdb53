import type { Pool, PoolClient } from 'pg';
import { createPgPool } from '@pm/platform/event-store';
import { createTestDatabase } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { ProjectionRebuildInProgress, TransactionRebuildGuards, holdRebuildLock } from './rebuild-lock';

describe('TransactionRebuildGuards (real PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;

  beforeAll(async () => {
    db = await createTestDatabase('rebuild_guards');
    pool = createPgPool(db.url);
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  /** The client with its statements counted. */
  async function counted(): Promise<{ tx: PoolClient; statements: () => number }> {
    const tx = await pool.connect();
    let n = 0;
    const query = tx.query.bind(tx) as (...args: unknown[]) => unknown;
    (tx as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      n++;
      return query(...args);
    };
    return { tx, statements: () => n };
  }

  /** A transaction of `tx` (guards begun) while a rebuild holds `readModel`'s lock; rolled back after `body`. */
  async function whileRebuilding(readModel: string, tx: PoolClient, guards: TransactionRebuildGuards, body: () => Promise<void>): Promise<void> {
    const rebuild = await pool.connect();
    const release = await holdRebuildLock(rebuild, readModel);
    try {
      await tx.query('BEGIN');
      guards.begin(tx);
      await body();
      await tx.query('ROLLBACK');
    } finally {
      await release();
      rebuild.release();
    }
  }

  it('takes each read model’s lock once per transaction, again in the next one, and a rebuild holding it between them is seen', async () => {
    const guards = new TransactionRebuildGuards();
    const { tx, statements } = await counted();
    try {
      await tx.query('BEGIN');
      guards.begin(tx);
      const before = statements();
      for (let i = 0; i < 5; i++) {
        await guards.guard(tx, 'summaries');
        await guards.guard(tx, 'facts');
      }
      expect(statements() - before).toBe(2);
      await tx.query('COMMIT');

      // Between transactions a rebuild takes one read model: the next transaction's first guard of it fails.
      await whileRebuilding('facts', tx, guards, async () => {
        await expect(guards.guard(tx, 'summaries')).resolves.toBeUndefined();
        await expect(guards.guard(tx, 'facts')).rejects.toBeInstanceOf(ProjectionRebuildInProgress);
      });
    } finally {
      tx.release();
    }
  });

  it('takes the locks of several read models in one statement, and names the one a rebuild holds', async () => {
    const guards = new TransactionRebuildGuards();
    const { tx, statements } = await counted();
    try {
      await tx.query('BEGIN');
      guards.begin(tx);
      const before = statements();
      await guards.guard(tx, 'summaries', 'facts', 'summaries');
      await guards.guard(tx, 'facts', 'summaries');
      expect(statements() - before).toBe(1);
      await tx.query('COMMIT');

      await whileRebuilding('facts', tx, guards, async () => {
        const start = statements();
        const blocked = await guards.guard(tx, 'summaries', 'facts').catch((e: unknown) => e);
        expect(blocked).toBeInstanceOf(ProjectionRebuildInProgress);
        expect((blocked as ProjectionRebuildInProgress).readModel).toBe('facts');
        expect(statements() - start).toBe(1);
      });
    } finally {
      tx.release();
    }
  });

  it('without begin (no transaction scope) every call takes the lock', async () => {
    const guards = new TransactionRebuildGuards();
    const { tx, statements } = await counted();
    try {
      await tx.query('BEGIN');
      const before = statements();
      await guards.guard(tx, 'summaries');
      await guards.guard(tx, 'summaries');
      expect(statements() - before).toBe(2);
      await tx.query('COMMIT');
    } finally {
      tx.release();
    }
  });
});
