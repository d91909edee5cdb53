import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { defineEventContract, registerUpcaster } from '@pm/contracts';
import type { RequestContext } from '@pm/platform/request-context';
import { createTestDatabase } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { conflict, snapshotPolicy } from '@pm/shared/ddd';
import type { Aggregate } from '@pm/shared/ddd';
import type { Pool } from 'pg';
import { EVENT_STORE_MIGRATIONS } from '../event-store.migrations';
import { runMigrations } from '../migrations';
import { PgEventStore } from '../pg-event-store';
import { createPgPool } from '../pg-pool';
import { WritePath } from './write-path';
import type { WritePathOptions } from './write-path';

/* The counter aggregate and test contracts the write path's specs share (write-path*.int-spec.ts). */

// Test contracts in the platform's catalogue: the write path knows no event without one.
defineEventContract({ context: 'planning', name: 'TestCounterAdded', version: 1, schema: z.strictObject({ by: z.number().int() }), description: 'test', example: { by: 1 } });
defineEventContract({ context: 'planning', name: 'TestCounterAdded', version: 2, schema: z.strictObject({ by: z.number().int(), note: z.string() }), description: 'test', example: { by: 1, note: '' } });
registerUpcaster('pm.planning.TestCounterAdded', 1, (data: { by: number }) => ({ ...data, note: 'upcast' }));
defineEventContract({ context: 'planning', name: 'TestCounterNoted', version: 1, schema: z.strictObject({ total: z.number().int() }), description: 'test', example: { total: 1 } });

defineEventContract({ context: 'planning', name: 'TestCounterChunkStaged', version: 1, schema: z.strictObject({ chunk: z.number().int(), events: z.array(z.strictObject({ type: z.literal('TestCounterAdded'), data: z.strictObject({ by: z.number().int(), note: z.string() }) })).min(1) }), description: 'test', example: { chunk: 0, events: [{ type: 'TestCounterAdded', data: { by: 1, note: '' } }] } });
defineEventContract({ context: 'planning', name: 'TestCounterImported', version: 1, schema: z.strictObject({ stagingStreamId: z.string(), chunks: z.number().int(), events: z.number().int() }), description: 'test', example: { stagingStreamId: 's', chunks: 1, events: 1 } });

export type Cmd = { type: 'Add'; by: number; limit: number } | { type: 'AddBroken' } | { type: 'AddUnknown' } | { type: 'Refuse' };
export type Evt =
  | { type: 'TestCounterAdded'; data: { by: number; note: string } }
  | { type: 'TestCounterNoted'; data: { total: number } }
  | { type: 'TestCounterImported'; data: { stagingStreamId: string; chunks: number; events: number } }
  | { type: 'NoSuchContract'; data: object };
export interface Counter {
  total: number;
  notes: Map<string, number>;
}

/** Adds while under a limit: a rule whose outcome depends on state, so a stale decision must be re-made. */
export const counter = (conclude?: Aggregate<Cmd, Evt, Counter>['conclude']): Aggregate<Cmd, Evt, Counter> => ({
  name: 'test.counter',
  context: 'planning',
  conclude,
  snapshot: snapshotPolicy<Counter>('test.counter', 1, 10),
  staged: { commitType: 'TestCounterImported', chunkType: 'TestCounterChunkStaged', stagingStreamOf: (data) => (data as { stagingStreamId: string }).stagingStreamId },
  decider: {
    initialState: () => ({ total: 0, notes: new Map() }),
    evolve: (s, e) => {
      if (e.type === 'TestCounterAdded') return { total: s.total + e.data.by, notes: new Map(s.notes).set(e.data.note, s.total + e.data.by) };
      return s;
    },
    decide: (c, s) => {
      switch (c.type) {
        case 'Add':
          return s.total + c.by > c.limit ? [] : [{ type: 'TestCounterAdded', data: { by: c.by, note: `n${s.total}` } }];
        case 'AddBroken':
          return [{ type: 'TestCounterAdded', data: { by: 0.5, note: 'x' } }];
        case 'AddUnknown':
          return [{ type: 'NoSuchContract', data: {} }];
        case 'Refuse':
          throw conflict('REFUSED', 'refused');
      }
    },
  },
});

export const ctx = (tenantId = 't1'): RequestContext => ({
  principal: { sub: 'x', tenantId, roles: [], actor: 'user:x' },
  now: new Date().toISOString(),
  commandId: randomUUID(),
  correlationId: randomUUID(),
  causationId: randomUUID(),
  traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
});

export const add = (by: number, limit = 10_000): Cmd => ({ type: 'Add', by, limit });

/** A database of the spec's own with the store's tables, and a write path on it; dropped after the spec. */
export function writePathDatabase(prefix: string, options: WritePathOptions): { readonly pool: Pool; readonly store: PgEventStore; readonly writePath: WritePath } {
  let db: TestDatabase;
  const it = {} as { pool: Pool; store: PgEventStore; writePath: WritePath };
  beforeAll(async () => {
    db = await createTestDatabase(prefix);
    await runMigrations(db.url, EVENT_STORE_MIGRATIONS);
    it.pool = createPgPool(db.url, { max: 30 });
    it.store = new PgEventStore(it.pool);
    it.writePath = new WritePath(it.store, options);
  });
  afterAll(async () => {
    await it.pool.end();
    await db.drop();
  });
  return it;
}
