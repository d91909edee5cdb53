import type { Pool } from 'pg';
import { notificationCreatedV1 } from '@pm/contracts';
import { createPgPool, runMigrations } from '@pm/platform/event-store';
import type { ProjectionEvent } from '@pm/platform/projections';
import { createTestDatabase } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { InboxProjection, insertInboxRows } from './inbox.projection';
import type { InboxRow } from './inbox.projection';
import { InboxQueries } from './inbox.queries';
import { NOTIFICATION_MIGRATIONS } from './notification.migrations';
import { notificationEvents } from './notification.test-events';

const TENANT = 'tenant-inbox';
const ME = 'pm-1';
const ids = ['8d1f4b2a-6c3e-4a5b-9c7d-1e2f3a4b5c61', '8d1f4b2a-6c3e-4a5b-9c7d-1e2f3a4b5c62', '8d1f4b2a-6c3e-4a5b-9c7d-1e2f3a4b5c63'];
const event = notificationEvents(TENANT, (n) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`);
const created = (notificationId: string, createdAt: string, channel: 'in-app' | 'email' = 'in-app') =>
  event('NotificationCreated', { ...notificationCreatedV1.example, notificationId, recipientId: ME, channel, delivery: { mode: 'now' }, createdAt });

/** The inbox from its events: the same events applied twice give the same rows, counts and sequence numbers. */
describe('InboxProjection (real PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;
  const projection = new InboxProjection();
  const reads = () => new InboxQueries(pool);
  const apply = async (events: ProjectionEvent[]) => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      for (const e of events) await projection.apply(e, client);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  };
  const snapshot = async () => ({
    rows: (await pool.query('SELECT notification_id, seq, read_at, archived_at FROM notification_inbox ORDER BY seq')).rows,
    heads: (await pool.query('SELECT recipient_id, last_seq, read_up_to, unread FROM notification_inbox_heads')).rows,
  });

  const log = [
    created(ids[0], '2026-03-03T10:00:00.000Z'),
    created(ids[1], '2026-03-03T10:01:00.000Z'),
    created(ids[2], '2026-03-03T10:02:00.000Z', 'email'),
    event('NotificationRead', { notificationId: ids[0], recipientId: ME, readAt: '2026-03-03T10:03:00.000Z' }),
    event('InboxMarkedAllRead', { recipientId: ME, readUpTo: '2026-03-03T10:01:30.000Z', markedBy: `user:${ME}`, markedAt: '2026-03-03T10:01:30.000Z' }),
    event('NotificationArchived', { notificationId: ids[1], recipientId: ME, archivedAt: '2026-03-03T10:04:00.000Z' }),
  ];

  beforeAll(async () => {
    db = await createTestDatabase('notification_inbox');
    await runMigrations(db.url, NOTIFICATION_MIGRATIONS);
    pool = createPgPool(db.url, { max: 3 });
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('keeps in-app notifications only, numbered 1, 2 … per recipient, with the unread count', async () => {
    await apply(log.slice(0, 3));
    const page = await reads().list(TENANT, ME, { limit: 10 });
    expect(page.items.map((i) => [i.notificationId, i.seq, i.read])).toEqual([
      [ids[1], 2, false],
      [ids[0], 1, false],
    ]);
    expect(await reads().unreadCount(TENANT, ME)).toBe(2);
    expect((await reads().arrivedAfter(TENANT, ME, 1, 10)).map((i) => i.seq)).toEqual([2]);
  });

  it('counts read, watermark and archive once each, and gives the same read model when every event is applied again', async () => {
    await apply(log.slice(3));
    const once = await snapshot();
    expect(await reads().unreadCount(TENANT, ME)).toBe(0);
    expect((await reads().list(TENANT, ME, { limit: 10, archived: true })).items.map((i) => i.notificationId)).toEqual([ids[1]]);
    await apply(log);
    expect(await snapshot()).toEqual(once);
    expect(await reads().unreadCount(TENANT, ME)).toBe(0);
    expect((await reads().list('another-tenant', ME, { limit: 10 })).items).toEqual([]);
  });

  it('writes a batch of rows for several people in one go: seqs gap-free per person in the order given, known rows skipped, counts right', async () => {
    const row = (n: number, recipientId: string): InboxRow => ({
      ...notificationCreatedV1.example,
      tenantId: 'tenant-batch',
      notificationId: `5a0c7d3e-1b2f-4c6d-8e9f-${String(n).padStart(12, '0')}`,
      recipientId,
      createdAt: `2026-03-03T11:0${n}:00.000Z`,
    });
    const batch = [row(1, 'amy'), row(2, 'bob'), row(3, 'amy'), row(1, 'amy'), row(4, 'bob')];
    const inTransaction = async (rows: InboxRow[]) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await insertInboxRows(client, rows);
        await client.query('COMMIT');
      } finally {
        client.release();
      }
    };
    await inTransaction(batch);
    // Again, with one new row in the middle: only that one is added, right after the others.
    await inTransaction([row(2, 'bob'), row(5, 'amy'), row(3, 'amy')]);
    const seqs = await pool.query(`SELECT recipient_id, seq, notification_id FROM notification_inbox WHERE tenant_id = 'tenant-batch' ORDER BY recipient_id, seq`);
    expect(seqs.rows.map((r) => [r.recipient_id, Number(r.seq), r.notification_id.slice(-1)])).toEqual([
      ['amy', 1, '1'],
      ['amy', 2, '3'],
      ['amy', 3, '5'],
      ['bob', 1, '2'],
      ['bob', 2, '4'],
    ]);
    expect(await reads().unreadCount('tenant-batch', 'amy')).toBe(3);
    expect(await reads().unreadCount('tenant-batch', 'bob')).toBe(2);
    const heads = await pool.query(`SELECT recipient_id, last_seq FROM notification_inbox_heads WHERE tenant_id = 'tenant-batch' ORDER BY recipient_id`);
    expect(heads.rows.map((h) => [h.recipient_id, Number(h.last_seq)])).toEqual([
      ['amy', 3],
      ['bob', 2],
    ]);
  });

  it('lets transactions write rows for the same people in any order side by side without a deadlock (one call each, as the consumer does)', async () => {
    const people = ['ann', 'bob', 'cat', 'dan', 'eve', 'fay'];
    const parallel = createPgPool(db.url, { max: 8 });
    let n = 0;
    const row = (recipientId: string): InboxRow => ({
      ...notificationCreatedV1.example,
      tenantId: 'tenant-order',
      notificationId: `6b1d8e4f-2c3a-4d7e-9fa0-${String(++n).padStart(12, '0')}`,
      recipientId,
      createdAt: '2026-03-03T12:00:00.000Z',
    });
    try {
      // Eight transactions at once, each naming every person, half of them in reverse order; each holds its locks a
      // moment before COMMIT, so their lock waits overlap. Taken in the order given, they would deadlock.
      await Promise.all(
        Array.from({ length: 8 }, async (_, t) => {
          const client = await parallel.connect();
          try {
            await client.query('BEGIN');
            await insertInboxRows(client, (t % 2 ? [...people].reverse() : people).map(row));
            await client.query('SELECT pg_sleep(0.05)');
            await client.query('COMMIT');
          } finally {
            client.release();
          }
        }),
      );
    } finally {
      await parallel.end();
    }
    const seqs = await pool.query(`SELECT recipient_id, array_agg(seq ORDER BY seq)::int[] AS seqs FROM notification_inbox WHERE tenant_id = 'tenant-order' GROUP BY recipient_id ORDER BY recipient_id`);
    expect(seqs.rows).toEqual(people.map((p) => ({ recipient_id: p, seqs: [1, 2, 3, 4, 5, 6, 7, 8] })));
  });
});
