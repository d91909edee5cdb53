import type { Pool, PoolClient } from 'pg';
import { emailSentV1, notificationCreatedV1 } from '@pm/contracts';
import { createPgPool, runMigrations } from '@pm/platform/event-store';
import { createTestDatabase } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { EmailDeliveriesProjection } from './email-deliveries.projection';
import { insertInboxRows } from './inbox.projection';
import { NOTIFICATION_MIGRATIONS } from './notification.migrations';
import { notificationEvents } from './notification.test-events';

const TENANT = 'tenant-plans';
const TABLES = ['notification_inbox', 'notification_inbox_heads', 'notification_email_deliveries'];
const uuid = (n: number) => `7c2e9f10-3a4b-4c5d-8e6f-${String(n).padStart(12, '0')}`;
const event = notificationEvents(TENANT, (n) => uuid(900_000 + n));

/**
 * A named statement keeps the generic plan PostgreSQL made for its tables as they were (after five executions; at once
 * here, plan_cache_mode forcing it) until they are next ANALYZEd. Made while they were empty (a fresh database, a
 * rebuild's TRUNCATE), a statement joining a parameter array to a table then reads the whole table however large it
 * grew. So: the inbox and e-mail writes run on one connection while their tables are empty, the tables grow, and every
 * statement the connection kept must still reach its rows by index.
 */
describe('statements the inbox and e-mail writes keep prepared (real PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let client: PoolClient;

  beforeAll(async () => {
    db = await createTestDatabase('notification_plans');
    await runMigrations(db.url, NOTIFICATION_MIGRATIONS);
    pool = createPgPool(db.url, { max: 1 });
    client = await pool.connect();
    // No ANALYZE during the test: it would have the plans made again for the grown tables.
    for (const table of TABLES) await client.query(`ALTER TABLE ${table} SET (autovacuum_enabled = false)`);
    await client.query('SET plan_cache_mode = force_generic_plan');
  });
  afterAll(async () => {
    client.release();
    await pool.end();
    await db.drop();
  });

  it('reach the rows by index after the tables grew, with the generic plans made while they were empty', async () => {
    const email = new EmailDeliveriesProjection();
    for (let i = 1; i <= 6; i++) {
      const ids = [uuid(2 * i), uuid(2 * i + 1)];
      await client.query('BEGIN');
      await insertInboxRows(client, [{ ...notificationCreatedV1.example, tenantId: TENANT, notificationId: uuid(i) }]);
      await email.applyBatch(
        ids.map((notificationId) => event('NotificationCreated', { ...notificationCreatedV1.example, notificationId, delivery: { mode: 'now' } })),
        client,
      );
      await email.applyBatch(ids.map((id) => event('EmailSent', { ...emailSentV1.example, notificationIds: [id] })), client);
      await client.query('COMMIT');
    }
    await client.query(`
      INSERT INTO notification_inbox (tenant_id, notification_id, recipient_id, seq, source_event_id, event_type, severity, subject, title, reason, created_at)
      SELECT '${TENANT}', gen_random_uuid(), 'user:' || (g % 500), g, gen_random_uuid(), 'x', 'high', '{}', 't', '{}', now() FROM generate_series(1, 5000) g;
      INSERT INTO notification_inbox_heads (tenant_id, recipient_id) SELECT '${TENANT}', 'user:' || g FROM generate_series(1, 5000) g;
      INSERT INTO notification_email_deliveries (tenant_id, notification_id, recipient_id, mode, event_type, severity, subject, title, occurred_at, created_at)
      SELECT '${TENANT}', gen_random_uuid(), 'user:' || (g % 500), 'now', 'x', 'high', '{}', 't', now(), now() FROM generate_series(1, 5000) g`);

    const kept = (await client.query<{ name: string; params: number; generic_plans: number }>(
      'SELECT name, cardinality(parameter_types) AS params, generic_plans::int FROM pg_prepared_statements ORDER BY name',
    )).rows;
    // The test exercised generic plans: the statements still named (INSERT … SELECT FROM unnest, nothing to join) ran on theirs.
    expect(kept.filter((s) => s.generic_plans > 0).map((s) => s.name)).toEqual(expect.arrayContaining(['email_deliveries_insert_created', 'inbox_lock_heads']));
    const scans: Array<[string, string]> = [];
    for (const s of kept) {
      const { rows } = await client.query(`EXPLAIN EXECUTE ${s.name}(${Array(s.params).fill('NULL').join(', ')})`);
      const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
      // No whole-table read (a Seq Scan, a bitmap scan, a hash join, a join filter instead of an index condition), and no
      // index but the primary key (a prefix probe reads a tenant's rows).
      if (/Seq Scan on notification_|Bitmap Heap Scan on notification_|Hash (\w+ )?Join|Join Filter|Scan using (?!\w+_pkey )\w+ on notification_/.test(plan)) {
        scans.push([s.name, plan]);
      }
    }
    expect(scans).toEqual([]);
  });
});
