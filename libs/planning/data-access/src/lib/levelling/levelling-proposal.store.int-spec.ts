import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import type { LevellingProposedV1 } from '@pm/contracts';
import { createPgPool, runMigrations } from '@pm/platform/event-store';
import { createTestDatabase } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { PLANNING_MIGRATIONS } from '../planning.migrations';
import { levellingProposalOfProject, levellingProposalsOfProject, recordLevellingProposal } from './levelling-proposal.store';

describe('Levelling proposals kept by planning', () => {
  let db: TestDatabase;
  let pool: Pool;
  const tenant = 'tenant-a';
  const crm = randomUUID();
  const erp = randomUUID();
  const resourceId = randomUUID();
  const move = (projectId: string, taskId: string) => ({ projectId, taskId, fromStart: '2025-09-01', toStart: '2025-09-08', toFinish: '2025-09-12', delayDays: 5, withinFloat: false });
  const proposal = (projectId: string | null, moves: LevellingProposedV1['moves'], proposedAt = '2025-09-05T10:00:00.000Z'): LevellingProposedV1 => ({
    proposalId: randomUUID(),
    projectId,
    moves,
    finishBefore: '2025-09-05',
    finishAfter: '2025-09-12',
    unresolved: [{ projectId: erp, taskId: 'migrate', resourceId, from: '2025-09-01', to: '2025-09-05', reason: 'demand-exceeds-capacity-every-day' }],
    proposedBy: 'user:rm-1',
    proposedAt,
  });
  const inTx = async (work: (tx: PoolClient) => Promise<void>) => {
    const tx = await pool.connect();
    try {
      await tx.query('BEGIN');
      await work(tx);
      await tx.query('COMMIT');
    } finally {
      tx.release();
    }
  };
  const everything = async () => (await pool.query('SELECT * FROM planning_levelling_proposals ORDER BY tenant_id, project_id, proposal_id')).rows;

  beforeAll(async () => {
    db = await createTestDatabase('planning_levelling_proposals');
    await runMigrations(db.url, PLANNING_MIGRATIONS);
    pool = createPgPool(db.url);
  });

  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('lists a portfolio proposal under each project it concerns, with that project’s moves and conflicts only', async () => {
    const portfolio = proposal(null, [move(crm, 'build'), move(erp, 'test')]);
    await inTx((tx) => recordLevellingProposal(tx, tenant, portfolio));
    const [ofCrm] = await levellingProposalsOfProject(pool, tenant, crm);
    expect(ofCrm).toEqual({
      proposalId: portfolio.proposalId, projectId: crm, portfolio: true, moves: [move(crm, 'build')], unresolved: [],
      finishBefore: '2025-09-05', finishAfter: '2025-09-12', proposedBy: 'user:rm-1', proposedAt: '2025-09-05T10:00:00.000Z',
    });
    const ofErp = await levellingProposalOfProject(pool, tenant, erp, portfolio.proposalId);
    expect(ofErp).toMatchObject({ moves: [move(erp, 'test')], unresolved: [expect.objectContaining({ taskId: 'migrate' })] });
  });

  it('keeps proposals per tenant: another tenant sees none of them', async () => {
    const own = proposal(crm, [move(crm, 'design')], '2025-09-06T10:00:00.000Z');
    await inTx((tx) => recordLevellingProposal(tx, tenant, own));
    expect(await levellingProposalOfProject(pool, 'tenant-b', crm, own.proposalId)).toBeNull();
    expect(await levellingProposalsOfProject(pool, 'tenant-b', crm)).toEqual([]);
    expect((await levellingProposalsOfProject(pool, tenant, crm)).map((p) => p.proposalId)[0]).toBe(own.proposalId);
  });

  it('replayed twice from the beginning, gives the same read model', async () => {
    const history = [proposal(crm, [move(crm, 'a')]), proposal(null, [move(crm, 'b'), move(erp, 'c')]), proposal(erp, [])];
    const replay = () => inTx(async (tx) => {
      for (const p of history) await recordLevellingProposal(tx, tenant, p);
    });
    await replay();
    const once = await everything();
    await replay();
    expect(await everything()).toEqual(once);
    // Each proposal also concerns erp, where the fixture's unresolved conflict is.
    expect(once.filter((r) => history.some((p) => p.proposalId === r.proposal_id))).toHaveLength(5);
  });
});
