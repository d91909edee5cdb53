import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { createPgPool, runMigrations } from '@pm/platform/event-store';
import type { ProjectionEvent } from '@pm/platform/projections';
import { createTestDatabase } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { PortfolioProjection } from './portfolio.projection';
import { PortfolioQueries } from './portfolio.queries';
import { PortfolioScheduleProgress1764900500000 } from './portfolio-curves.schema';
import { PortfolioSchema1764800000000 } from './portfolio.schema';
import { PortfolioEventsOf } from './portfolio.test-events';

const CR1 = randomUUID();
const CR2 = randomUUID();

describe('PortfolioProjection (real PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let queries: PortfolioQueries;
  const projection = new PortfolioProjection();

  const erp = new PortfolioEventsOf('tenant-a');
  const crm = new PortfolioEventsOf('tenant-a');
  const other = new PortfolioEventsOf('tenant-b');
  const history: ProjectionEvent[] = [
    erp.created('2026-03-01T09:00:00.000Z', 'ERP migration'),
    crm.created('2026-03-01T10:00:00.000Z', 'CRM rollout'),
    other.created('2026-03-01T11:00:00.000Z', 'Data centre exit'),
    erp.gateRequested('2026-03-01T12:00:00.000Z', 'gate-1'),
    erp.gateApproved('2026-03-02T09:00:00.000Z', 'gate-1'),
    erp.advanced('2026-03-02T09:00:00.000Z', 'executing'),
    erp.scheduled('2026-03-02T09:00:01.000Z', '2026-11-30'),
    erp.earnedValue('2026-03-05T09:00:00.000Z', { pv: 3000, ev: 2500, ac: 2800, overdue: 1 }),
    erp.exposure('2026-03-05T10:00:00.000Z', { critical: 1, high: 2, openIssues: 4, p80Finish: '2027-01-15' }),
    crm.putOnHold('2026-03-06T09:00:00.000Z'),
    erp.renamed('2026-03-07T09:00:00.000Z', 'ERP consolidation'),
    crm.gateRequested('2026-03-08T09:00:00.000Z', 'gate-7'),
    erp.changeRequestRaised('2026-03-03T09:00:00.000Z', CR1),
    erp.changeRequestRaised('2026-03-03T10:00:00.000Z', CR2),
    erp.changeRequestApproved('2026-03-04T09:00:00.000Z', CR1),
  ];

  async function apply(events: readonly ProjectionEvent[], reset: boolean): Promise<void> {
    const tx = await pool.connect();
    try {
      await tx.query('BEGIN');
      if (reset) await projection.reset(tx);
      for (const e of events) await projection.apply(e, tx);
      await tx.query('COMMIT');
    } catch (err) {
      await tx.query('ROLLBACK');
      throw err;
    } finally {
      tx.release();
    }
  }

  const everything = async () =>
    (
      await pool.query(`SELECT to_jsonb(t) AS row FROM (
        SELECT to_jsonb(p) AS f, p.event_id FROM portfolio_project_facts p UNION ALL
        SELECT to_jsonb(s), s.event_id FROM portfolio_schedule_facts s UNION ALL
        SELECT to_jsonb(r), r.event_id FROM portfolio_risk_facts r UNION ALL
        SELECT to_jsonb(c), c.event_id FROM portfolio_change_request_facts c) t ORDER BY t.event_id`)
    ).rows;

  beforeAll(async () => {
    db = await createTestDatabase('portfolio');
    await runMigrations(db.url, [PortfolioSchema1764800000000, PortfolioScheduleProgress1764900500000]);
    pool = createPgPool(db.url);
    queries = new PortfolioQueries(pool);
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('keeps every figure the events published, and leaves empty what none did', async () => {
    await apply(history, true);
    const [first, second] = await queries.all('tenant-a', null).then((all) => all.sort((a, b) => String(a.name).localeCompare(String(b.name))));
    expect(first).toMatchObject({
      name: 'CRM rollout',
      status: 'on-hold',
      phase: 'initiating',
      pendingGate: { gateId: 'gate-7', fromPhase: 'initiating', toPhase: 'planning', requestedAt: '2026-03-08T09:00:00.000Z' },
      schedule: null,
      risk: null,
    });
    expect(second).toMatchObject({
      projectId: erp.projectId,
      name: 'ERP consolidation',
      status: 'executing',
      pendingGate: null,
      pendingChangeRequests: 1,
      phase: 'executing',
      currency: 'EUR',
      startDate: '2026-04-01',
      targetFinishDate: '2026-12-18',
      schedule: {
        forecastFinish: '2026-11-30',
        statusDate: '2025-03-05',
        bac: 4000,
        pv: 3000,
        ev: 2500,
        ac: 2800,
        spi: 2500 / 3000,
        cpi: 2500 / 2800,
        eac: 4000 / (2500 / 2800),
        overdueMilestones: 1,
        milestones: [{ taskId: 'go-live', baselineFinish: '2025-03-06', forecastFinish: '2025-03-07', slipDays: 1, achieved: false, overdue: false }],
        // A v2 event measured none of these (ADR 0501): null, and its null forecast finish left the calculated one.
        percentComplete: null,
        baselineFinish: null,
        finishSlipDays: null,
      },
      risk: {
        openRisks: 3,
        openIssues: 4,
        risksByRating: { low: 0, medium: 0, high: 2, critical: 1, complete: true },
        cells: [{ probability: 4, impact: 4, count: 3 }],
        expectedExposure: [{ currency: 'EUR', amountMinor: 2_400_000 }],
        p80Finish: '2027-01-15',
      },
    });
    expect((await queries.all('tenant-b', null)).map((p) => p.name)).toEqual(['Data centre exit']);
    expect(await queries.all('tenant-c', null)).toEqual([]);
    expect(await queries.one('tenant-b', erp.projectId, null)).toBeNull();
    expect(await queries.position('tenant-a', null)).toEqual({ eventId: history[11].eventId, streamVersion: 3, recordedAt: '2026-03-08T09:00:00.000Z' });
  });

  it('answers as of an instant from the rows valid then', async () => {
    await apply(history, true);
    const at = (iso: string) => queries.one('tenant-a', erp.projectId, new Date(iso));
    expect(await at('2026-03-01T08:59:59.999Z')).toBeNull();
    expect(await at('2026-03-01T09:00:00.000Z')).toMatchObject({ name: 'ERP migration', status: 'initiating', pendingGate: null, schedule: null });
    expect(await at('2026-03-01T12:00:00.000Z')).toMatchObject({ status: 'initiating', pendingGate: { gateId: 'gate-1' } });
    expect(await at('2026-03-05T09:30:00.000Z')).toMatchObject({ status: 'executing', schedule: { spi: 2500 / 3000 }, risk: null });
    expect(await at('2026-03-07T08:59:59.999Z')).toMatchObject({ name: 'ERP migration', risk: { openIssues: 4 } });
    expect(await at('2026-03-03T10:00:00.000Z')).toMatchObject({ pendingChangeRequests: 2 });
    expect(await at('2026-03-03T09:59:59.999Z')).toMatchObject({ pendingChangeRequests: 1 });
    expect(await queries.position('tenant-a', new Date('2026-03-05T09:30:00.000Z'))).toEqual({
      eventId: history[7].eventId,
      streamVersion: 2,
      recordedAt: '2026-03-05T09:00:00.000Z',
    });
  });

  it('replaying the same events twice yields the same read model', async () => {
    await apply(history, true);
    const first = await everything();
    expect(first).toHaveLength(history.length);
    await apply(history, true);
    expect(await everything()).toEqual(first);
  });

  it('a redelivered or stale event changes nothing, whatever order it comes back in', async () => {
    await apply(history, true);
    const before = await everything();
    await apply([...history].reverse(), false);
    await apply(history, false);
    expect(await everything()).toEqual(before);
  });

  // Kafka keeps the order within a stream only: risk exposure and schedule facts may arrive before the project.
  it('does not depend on the order facts of different streams arrive in', async () => {
    await apply(history, true);
    const inOrder = await queries.all('tenant-a', new Date('2026-03-05T12:00:00.000Z'));
    const riskFirst = [history[8], history[6], history[7], ...history.filter((_, i) => i < 6 || i > 8)];
    await apply(riskFirst, true);
    expect(await queries.all('tenant-a', new Date('2026-03-05T12:00:00.000Z'))).toEqual(inOrder);
  });

  it('counts a fact recorded before the one it follows in its stream (clock skew) from that one, so validity never runs backwards', async () => {
    const p = new PortfolioEventsOf('tenant-a');
    await apply([p.created('2026-03-10T10:00:00.000Z', 'Skewed'), p.renamed('2026-03-10T09:59:59.000Z', 'Skewed, renamed')], true);
    expect(await queries.one('tenant-a', p.projectId, new Date('2026-03-10T09:59:59.500Z'))).toBeNull();
    expect(await queries.one('tenant-a', p.projectId, new Date('2026-03-10T10:00:00.000Z'))).toMatchObject({ name: 'Skewed, renamed' });
  });

  it('rejects event data that breaks the contract', async () => {
    const bad = { ...erp.created('2026-03-01T09:00:00.000Z', 'x'), data: { projectId: erp.projectId, name: '' } };
    await expect(apply([bad], false)).rejects.toMatchObject({ code: 'INVALID_EVENT_DATA' });
  });
});
