import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import type { CostIncurredV1, TimesheetApprovedV1 } from '@pm/contracts';
import { createPgPool, runMigrations } from '@pm/platform/event-store';
import { createTestDatabase } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { PLANNING_MIGRATIONS } from '../planning.migrations';
import { actualCostsOfProject, recordCostIncurred, recordTimesheetLines } from './actual-cost.store';
import { minorUnitDigits, reportedCostsInProjectCurrency } from './reported-costs.mapper';

describe('Actual cost store (resource costs kept by planning)', () => {
  let db: TestDatabase;
  let pool: Pool;
  const tenant = 'tenant-a';
  const projectId = randomUUID();
  const otherProject = randomUUID();
  const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });
  const line = (date: string, project: string, taskId: string | null, amountMinor: number) => ({ date, projectId: project, taskId, minutes: 60, overtimeMinutes: 0, rateEffectiveFrom: '2025-01-01', cost: eur(amountMinor) });
  const approved = (timesheetId: string, lines: TimesheetApprovedV1['lines']): TimesheetApprovedV1 => ({
    timesheetId, resourceId: randomUUID(), weekStart: '2025-09-01', lines, total: eur(0), approvedBy: 'user:rm', approvedAt: '2025-09-08T09:00:00.000Z',
  });
  const incurred = (timesheetId: string, amountMinor: number): CostIncurredV1 => ({
    costId: `${timesheetId}:${projectId}`, projectId, category: 'labour', amount: eur(amountMinor), from: '2025-09-01', to: '2025-09-03',
    source: { kind: 'timesheet', id: timesheetId }, resourceId: null, incurredAt: '2025-09-08T09:00:00.000Z',
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

  beforeAll(async () => {
    db = await createTestDatabase('planning_actual_cost');
    await runMigrations(db.url, PLANNING_MIGRATIONS);
    pool = createPgPool(db.url);
  });

  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('splits a timesheet cost by its priced lines, keeps other projects out, and records it once however often it comes', async () => {
    const ts = randomUUID();
    const timesheet = approved(ts, [line('2025-09-01', projectId, 'design', 30000), line('2025-09-01', projectId, 'design', 5000), line('2025-09-02', projectId, null, 15000), line('2025-09-02', otherProject, 'x', 99900)]);
    for (let i = 0; i < 2; i++) {
      await inTx(async (tx) => {
        await recordTimesheetLines(tx, tenant, timesheet);
        await recordCostIncurred(tx, tenant, incurred(ts, 50000));
      });
    }
    expect(await actualCostsOfProject(pool, tenant, projectId)).toEqual([
      { taskId: 'design', incurredOn: '2025-09-01', currency: 'EUR', amountMinor: 35000 },
      { taskId: null, incurredOn: '2025-09-02', currency: 'EUR', amountMinor: 15000 },
    ]);
    expect(await actualCostsOfProject(pool, 'tenant-b', projectId)).toEqual([]);
  });

  it('books the whole amount at project level on its last day when the lines are missing or do not add up', async () => {
    const unseen = randomUUID();
    const mismatched = randomUUID();
    await inTx(async (tx) => {
      await recordCostIncurred(tx, tenant, incurred(unseen, 1000));
      await recordTimesheetLines(tx, tenant, approved(mismatched, [line('2025-09-01', projectId, 'build', 700)]));
      await recordCostIncurred(tx, tenant, incurred(mismatched, 900));
    });
    const rows = await actualCostsOfProject(pool, tenant, projectId);
    expect(rows.filter((r) => r.incurredOn === '2025-09-03')).toEqual([{ taskId: null, incurredOn: '2025-09-03', currency: 'EUR', amountMinor: 1900 }]);
    expect(rows.some((r) => r.taskId === 'build')).toBe(false);
  });

  it('converts minor units with the currency’s own digits and keeps other currencies apart', () => {
    expect([minorUnitDigits('EUR'), minorUnitDigits('JPY'), minorUnitDigits('KWD')]).toEqual([2, 0, 3]);
    const rows = [
      { taskId: 'a', incurredOn: '2025-09-01', currency: 'JPY', amountMinor: 1500 },
      { taskId: null, incurredOn: '2025-09-01', currency: 'USD', amountMinor: 250 },
      { taskId: null, incurredOn: '2025-09-09', currency: 'USD', amountMinor: 100 },
    ];
    expect(reportedCostsInProjectCurrency(rows, 'JPY', '2025-09-05')).toEqual({
      reported: [{ taskId: 'a', date: '2025-09-01', amountMinor: 1500, minorPerUnit: 1 }],
      unconverted: [{ currency: 'USD', amountMinor: 250 }],
    });
  });
});
