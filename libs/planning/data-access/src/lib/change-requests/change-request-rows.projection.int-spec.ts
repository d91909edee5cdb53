import type { Pool } from 'pg';
import { changeRequestApprovedV1, changeRequestAppliedV2, changeRequestAssessedV1, changeRequestRaisedV2, changeRequestWithdrawnV1 } from '@pm/contracts';
import { createPgPool, runMigrations } from '@pm/platform/event-store';
import type { ProjectionEvent } from '@pm/platform/projections';
import { createTestDatabase } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { PLANNING_MIGRATIONS } from '../planning.migrations';
import { ChangeRequestRowsProjection } from './change-request-rows.projection';
import { changeRequestsOfProject } from './change-request-rows.queries';

const TENANT = 'tenant-cr-rows';
const PROJECT = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const CR = ['0b6c3f1e-2d4a-4c8b-9e7f-1a2b3c4d5e61', '0b6c3f1e-2d4a-4c8b-9e7f-1a2b3c4d5e62'];

let sequence = 0;
const event = (type: string, schemaVersion: number, streamVersion: number, data: object): ProjectionEvent => ({
  eventId: `00000000-0000-4000-8000-${String(++sequence).padStart(12, '0')}`,
  type: `pm.planning.${type}`,
  schemaVersion,
  tenantId: TENANT,
  streamId: `change-request:${TENANT}:x`,
  streamVersion,
  occurredAt: '2026-03-03T10:00:00.000Z',
  recordedAt: '2026-03-03T10:00:00.000Z',
  data,
});
const ofRequest = (id: string) => ({ changeRequestId: id, projectId: PROJECT });

/** The change-request rows from their events: each transition once, and the same rows when every event comes again. */
describe('ChangeRequestRowsProjection (real PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;
  const projection = new ChangeRequestRowsProjection();
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
  const list = () => changeRequestsOfProject(pool, TENANT, PROJECT, { limit: 10 });

  const log = [
    event('ChangeRequestRaised', 2, 1, { ...changeRequestRaisedV2.example, ...ofRequest(CR[0]), title: 'More testing' }),
    event('ChangeRequestAssessed', 1, 2, { ...changeRequestAssessedV1.example, ...ofRequest(CR[0]), impact: { scheduleImpactDays: 2, costImpact: 4000, notes: 'Checked' } }),
    event('ChangeRequestApproved', 1, 3, { ...changeRequestApprovedV1.example, ...ofRequest(CR[0]), approvedBy: 'admin-1', comment: null }),
    event('ChangeRequestApplied', 2, 4, { ...changeRequestAppliedV2.example, ...ofRequest(CR[0]), appliedBy: 'user:pm-1', appliedAt: '2026-03-04T09:00:00.000Z' }),
    event('ChangeRequestRaised', 2, 1, { ...changeRequestRaisedV2.example, ...ofRequest(CR[1]), title: 'Later start' }),
    event('ChangeRequestWithdrawn', 1, 2, { ...changeRequestWithdrawnV1.example, ...ofRequest(CR[1]), withdrawnBy: 'member-1', reason: 'Not needed' }),
  ];

  beforeAll(async () => {
    db = await createTestDatabase('planning_cr_rows');
    await runMigrations(db.url, PLANNING_MIGRATIONS);
    pool = createPgPool(db.url, { max: 3 });
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('follows each request from raised to its last decision, newest first', async () => {
    await apply(log.slice(0, 2));
    expect((await list()).items).toEqual([expect.objectContaining({ changeRequestId: CR[0], status: 'assessed', impact: { scheduleImpactDays: 2, costImpact: 4000, notes: 'Checked' }, decidedBy: null })]);
    await apply(log.slice(2));
    const { items, page } = await list();
    expect(items.map((r) => [r.changeRequestId, r.status, r.decidedBy, r.reason])).toEqual([
      [CR[1], 'withdrawn', 'member-1', 'Not needed'],
      [CR[0], 'applied', 'user:pm-1', null],
    ]);
    expect(items[1]).toMatchObject({ title: 'More testing', impact: { scheduleImpactDays: 2 }, decidedAt: '2026-03-04T09:00:00.000Z', version: 4 });
    expect(page.next).toBeNull();
  });

  it('gives the same rows when every event is applied again, and an older event never undoes a newer one', async () => {
    const before = (await pool.query('SELECT * FROM planning_change_requests ORDER BY seq')).rows;
    await apply(log);
    await apply([log[1]]);
    expect((await pool.query('SELECT * FROM planning_change_requests ORDER BY seq')).rows).toEqual(before);
  });

  it('pages with the cursor and filters by status', async () => {
    const first = await changeRequestsOfProject(pool, TENANT, PROJECT, { limit: 1 });
    expect(first.items.map((r) => r.changeRequestId)).toEqual([CR[1]]);
    const second = await changeRequestsOfProject(pool, TENANT, PROJECT, { limit: 1, after: first.page.next ?? undefined });
    expect(second.items.map((r) => r.changeRequestId)).toEqual([CR[0]]);
    expect((await changeRequestsOfProject(pool, TENANT, PROJECT, { limit: 10, status: ['applied'] })).items.map((r) => r.changeRequestId)).toEqual([CR[0]]);
    expect((await changeRequestsOfProject(pool, 'another-tenant', PROJECT, { limit: 10 })).items).toEqual([]);
  });
});
