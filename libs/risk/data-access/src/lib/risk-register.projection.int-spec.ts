import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { issueRaisedV1, mitigationActionAddedV1, riskAssessedV1, riskAssessedV2, riskIdentifiedV1, riskScheduleImpactDefinedV1 } from '@pm/contracts';
import { createPgPool, runMigrations } from '@pm/platform/event-store';
import type { ProjectionEvent } from '@pm/platform/projections';
import { createTestDatabase } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { issueStreamId, riskStreamId } from '@pm/risk/domain';
import { withExposureMarks } from './exposure/exposure-marking.projection';
import { RiskExposureQueries } from './exposure/risk-exposure.queries';
import { RiskRegisterProjection, cellOf } from './risk-register.projection';
import { RiskReadQueries } from './risk-read.queries';
import { RegisterRiskQueries } from './schedule-impact/register-risk.queries';
import { RISK_MIGRATIONS } from './risk.migrations';

const tenant = 'tenant-a';
const projectId = randomUUID();
const riskId = randomUUID();
const issueId = randomUUID();
const at = '2026-03-03T09:00:00.000Z';
const ids = { riskId, projectId };

function ev(type: string, streamId: string, streamVersion: number, data: unknown, tenantId = tenant): ProjectionEvent {
  return { eventId: randomUUID(), type: `pm.risk.${type}`, schemaVersion: 1, tenantId, streamId, streamVersion, occurredAt: at, recordedAt: at, data };
}
const risk = (v: number, type: string, data: object) => ev(type, riskStreamId(tenant, riskId), v, { ...ids, ...data });

const log = [
  risk(1, 'RiskIdentified', { ...riskIdentifiedV1.example, ...ids, ownerId: 'owner-1' }),
  risk(2, 'RiskAssessed', { ...riskAssessedV1.example, ...ids }),
  risk(3, 'RiskStatusChanged', { from: 'identified', to: 'assessed', reason: null, changedBy: 'user:pm', changedAt: at }),
  risk(4, 'ResponsePlanned', { responseId: 'constructor', strategy: 'mitigate', description: 'Second supplier', plannedBy: 'user:pm', plannedAt: at }),
  risk(5, 'MitigationActionAdded', { ...mitigationActionAddedV1.example, ...ids, responseId: 'constructor', actionId: '__proto__' }),
  risk(6, 'MitigationActionOverdue', { responseId: 'constructor', actionId: '__proto__', ownerId: 'user:buyer-1', dueOn: '2026-03-20', flaggedBy: 'service:risk-service', flaggedAt: at }),
  risk(7, 'RiskReviewScheduled', { reviewOn: '2026-04-01', previousReviewOn: null, scheduledBy: 'user:pm', scheduledAt: at }),
  risk(8, 'RiskReviewOverdue', { reviewOn: '2026-04-01', ownerId: 'owner-1', flaggedBy: 'service:risk-service', flaggedAt: at }),
  ev('IssueRaised', issueStreamId(tenant, issueId), 1, { ...issueRaisedV1.example, issueId, projectId, source: { type: 'risk', riskId } }),
  ev('IssueResolved', issueStreamId(tenant, issueId), 2, { issueId, projectId, resolution: 'Done', resolvedBy: 'user:pm', resolvedAt: at }),
];

describe('Risk register read model (real PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;
  const projection = new RiskRegisterProjection();

  async function replay(events: ProjectionEvent[], reset: boolean) {
    const tx = await pool.connect();
    try {
      await tx.query('BEGIN');
      if (reset) await projection.reset(tx);
      for (const e of events) if (projection.handles.includes(e.type)) await projection.apply(e, tx);
      await tx.query('COMMIT');
    } finally {
      tx.release();
    }
    const tables = ['risk_register', 'risk_responses', 'risk_actions', 'risk_secondary_links', 'issue_log'];
    return Object.fromEntries(await Promise.all(tables.map(async (t) => [t, (await pool.query(`SELECT * FROM ${t} ORDER BY 1, 2, 3`)).rows] as const)));
  }

  beforeAll(async () => {
    db = await createTestDatabase('risk_read_models');
    await runMigrations(db.url, RISK_MIGRATIONS);
    pool = createPgPool(db.url);
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('replaying the same events twice yields the same read model', async () => {
    const first = await replay(log, true);
    expect(await replay(log, true)).toEqual(first);
    expect(first['risk_register']).toHaveLength(1);
  });

  it('applies a batch as one event at a time does, leaving out what the rows already took, one exposure mark per project', async () => {
    const marked = withExposureMarks(projection);
    const oneByOne = await replay(log, true);
    const inBatch = async (events: ProjectionEvent[]) => {
      const tx = await pool.connect();
      try {
        await tx.query('BEGIN');
        const left = await projection.unapplied(events, tx);
        await marked.applyBatch(events, tx);
        await tx.query('COMMIT');
        return left;
      } catch (error) {
        await tx.query('ROLLBACK');
        throw error;
      } finally {
        tx.release();
      }
    };
    const marks = async () => Number((await pool.query('SELECT count(*) AS n FROM risk_exposure_marks')).rows[0].n);
    await pool.query('TRUNCATE risk_exposure_marks');
    // Half the log applied (as a command's own transaction would), then the whole log as the runner reads it.
    await replay(log.slice(0, 4), true);
    expect((await inBatch(log)).map((e) => e.streamVersion)).toEqual([5, 6, 7, 8, 1, 2]);
    expect(await replay([], false)).toEqual(oneByOne);
    expect(await marks()).toBe(1);
    // The same batch again: nothing left to apply, no row written, no mark added.
    expect(await inBatch(log)).toEqual([]);
    expect(await replay([], false)).toEqual(oneByOne);
    expect(await marks()).toBe(1);
  });

  it('ignores redelivered and out-of-date events', async () => {
    const before = await replay(log, true);
    const stale = risk(3, 'RiskStatusChanged', { from: 'assessed', to: 'closed', reason: 'late copy', changedBy: 'user:pm', changedAt: at });
    expect(await replay([...log].reverse().concat(stale), false)).toEqual(before);
  });

  it('answers the detail with overdue flags and hides it from another tenant and another project', async () => {
    await replay(log, true);
    const q = new RiskReadQueries(pool);
    expect(await q.risk(tenant, projectId, riskId)).toMatchObject({
      status: 'assessed',
      rating: 'medium',
      inherentScore: 16,
      residualScore: 8,
      cell: { probability: 2, impact: 4 },
      reviewOn: '2026-04-01',
      reviewOverdue: true,
      responses: [{ responseId: 'constructor' }],
      actions: [{ actionId: '__proto__', overdue: true, completed: false }],
    });
    expect(await q.risk('tenant-b', projectId, riskId)).toBeNull();
    expect(await q.risk(tenant, randomUUID(), riskId)).toBeNull();
    expect(await q.matrix(tenant, projectId)).toEqual([{ probability: 2, impact: 4, count: 1 }]);
    expect((await q.issue(tenant, projectId, issueId))?.status).toBe('resolved');
    expect((await q.issues('tenant-b', projectId, { limit: 10 })).items).toEqual([]);
  });

  it('keeps the money of a v2 assessment (none for v1) and sums the EMV of open risks per currency', async () => {
    await replay(log, true);
    const q = new RiskReadQueries(pool);
    expect(await q.risk(tenant, projectId, riskId)).toMatchObject({ costImpact: null, expectedCost: null });
    const priced = { ...ev('RiskAssessed', riskStreamId(tenant, riskId), 9, { ...riskAssessedV2.example, ...ids }), schemaVersion: 2 };
    await replay([priced], false);
    expect(await q.risk(tenant, projectId, riskId)).toMatchObject({ costImpact: { amountMinor: 12_000_000, currency: 'EUR' }, expectedCost: { amountMinor: 2_400_000, currency: 'EUR' } });
    expect((await new RiskExposureQueries(pool).figures(tenant, projectId)).costExposure).toEqual({
      score: 6,
      threats: 1,
      expected: [{ currency: 'EUR', amountMinor: 2_400_000 }],
      expectedOpportunity: [],
    });
  });

  it('keeps the risk ↔ task link (replayed twice, the same rows) and reads the open linked threats for a simulation', async () => {
    const tasks = [
      { taskId: 'constructor', delayDays: { min: 1, mostLikely: 2, max: 4 } },
      { taskId: 'install', delayDays: { min: 2, mostLikely: 5, max: 10 } },
    ];
    const linked = [...log, risk(9, 'RiskScheduleImpactDefined', { ...riskScheduleImpactDefinedV1.example, ...ids, tasks })];
    const first = await replay(linked, true);
    expect(await replay(linked, true)).toEqual(first);
    const q = new RiskReadQueries(pool);
    expect((await q.risk(tenant, projectId, riskId))?.scheduleImpact).toEqual({ tasks });
    const register = new RegisterRiskQueries(pool);
    // riskAssessedV1's example: residual schedule at level 2.
    expect(await register.linkedOpenThreats(tenant, projectId)).toEqual([{ riskId, scheduleProbability: 2, costImpact: null, tasks }]);
    expect(await register.linkedOpenThreats('tenant-b', projectId)).toEqual([]);
    expect(await register.knownTaskIds(tenant, projectId, ['install'])).toBeNull();
    await replay([risk(10, 'RiskScheduleImpactDefined', { ...riskScheduleImpactDefinedV1.example, ...ids, tasks: [] })], false);
    expect(await register.linkedOpenThreats(tenant, projectId)).toEqual([]);
    await replay([risk(11, 'RiskScheduleImpactDefined', { ...riskScheduleImpactDefinedV1.example, ...ids, tasks }), risk(12, 'RiskStatusChanged', { from: 'assessed', to: 'closed', reason: 'Gone', changedBy: 'user:pm', changedAt: at })], false);
    expect(await register.linkedOpenThreats(tenant, projectId)).toEqual([]);
  });

  it('places an assessment in the cell of its worst dimension', () => {
    const d = (probability: number, impact: number) => ({ probability, impact, score: probability * impact });
    expect(cellOf({ schedule: d(2, 5), cost: d(5, 2), scope: null })).toEqual({ probability: 5, impact: 2 });
    expect(cellOf({ schedule: null })).toBeNull();
  });
});
