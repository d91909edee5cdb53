import type { Pool } from 'pg';
import { notificationCreatedV1 } from '@pm/contracts';
import { createPgPool, runMigrations } from '@pm/platform/event-store';
import type { ProjectionEvent } from '@pm/platform/projections';
import { createTestDatabase } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { InboxProjection } from './inbox.projection';
import { InboxQueries } from './inbox.queries';
import { NOTIFICATION_MIGRATIONS } from './notification.migrations';

const TENANT = 'tenant-inbox';
const ME = 'pm-1';
const ids = ['8d1f4b2a-6c3e-4a5b-9c7d-1e2f3a4b5c61', '8d1f4b2a-6c3e-4a5b-9c7d-1e2f3a4b5c62', '8d1f4b2a-6c3e-4a5b-9c7d-1e2f3a4b5c63'];
let version = 0;
const event = (type: string, data: object): ProjectionEvent => ({
  eventId: `00000000-0000-4000-8000-${String(++version).padStart(12, '0')}`,
  type: `pm.notification.${type}`,
  schemaVersion: 1,
  tenantId: TENANT,
  streamId: 's',
  streamVersion: 1,
  occurredAt: '2026-03-03T10:00:00.000Z',
  data,
});
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
});
