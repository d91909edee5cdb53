import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { PgEventStore, createPgPool, loadState, runMigrations } from '@pm/platform/event-store';
import type { AppendResult, ExpectedVersion, NewEvent } from '@pm/platform/event-store';
import type { Principal } from '@pm/platform/auth';
import { createTestDatabase } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { RESOURCE_MIGRATIONS, ResourceReadQueries } from '@pm/resource/data-access';
import { budgetDecider, budgetStreamId, resourceDecider, resourceStreamId, timesheetDecider, timesheetStreamId, toResourceId, toTimesheetId } from '@pm/resource/domain';
import type { BudgetCommand, BudgetEvent, BudgetState, ResourceCommand, ResourceEvent, ResourceState, TimesheetCommand, TimesheetEvent, TimesheetOwner, TimesheetState } from '@pm/resource/domain';
import { DeciderRunner } from '../shared/decider-runner';
import { callerOf, commandMetadata, requestContext } from '../shared/request-context';
import type { RequestContext } from '../shared/request-context';
import { TimesheetApprovalTransaction } from './timesheet-approval.transaction';

const tenant = 'tenant-approval';
const person: Principal = { sub: 'ada', tenantId: tenant, roles: ['team-member'], actor: 'user:ada' };
type Queryable = Parameters<PgEventStore['append']>[3];
const manager: Principal = { sub: 'rm-1', tenantId: tenant, roles: ['resource-manager'], actor: 'user:rm-1' };

/** A store that dies once when asked to write to a budget stream: the process stopping between the two steps. */
class CrashBeforeBudgetStore extends PgEventStore {
  crashes = 1;

  override append(streamId: string, events: readonly NewEvent[], expected: ExpectedVersion, client?: Queryable): Promise<AppendResult> {
    if (streamId.startsWith('budget-') && this.crashes > 0) {
      this.crashes--;
      return Promise.reject(new Error('process killed between the approval and the budget'));
    }
    return super.append(streamId, events, expected, client);
  }
}

/** A store where another writer records an expense on the budget just before this transaction appends to it. */
class RacedBudgetStore extends PgEventStore {
  races = 1;

  constructor(
    pool: Pool,
    private readonly race: () => Promise<void>,
  ) {
    super(pool);
  }

  override async append(streamId: string, events: readonly NewEvent[], expected: ExpectedVersion, client?: Queryable): Promise<AppendResult> {
    if (streamId.startsWith('budget-') && this.races > 0) {
      this.races--;
      await this.race();
    }
    return super.append(streamId, events, expected, client);
  }
}

describe('Timesheet approval and budget in one transaction (real PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: PgEventStore;
  let runner: DeciderRunner;
  let reads: ResourceReadQueries;
  const ctx = (principal: Principal): RequestContext => requestContext(principal);

  const ownerOf = async (resourceId: string): Promise<TimesheetOwner | null> => {
    const { state } = await runner.load<ResourceCommand, ResourceEvent, ResourceState>(resourceDecider, resourceStreamId(resourceId), tenant);
    return state.status === 'registered' && state.resource.kind === 'person' ? { resourceId, userId: state.resource.userId, rates: state.resource.rates } : null;
  };

  const budget = async (projectId: string) => loadState<BudgetCommand, BudgetEvent, BudgetState>(store, budgetStreamId(projectId), budgetDecider, tenant);
  const timesheet = async (timesheetId: string) => loadState<TimesheetCommand, TimesheetEvent, TimesheetState>(store, timesheetStreamId(timesheetId), timesheetDecider, tenant);

  /** A project planning announced to `owner` (the local copy the resource service keeps of pm.planning.ProjectCreated). */
  const announced = async (projectId: string, owner = tenant) =>
    pool.query(`INSERT INTO planning_projects (tenant_id, project_id, name, priority) VALUES ($1, $2, 'P', 'medium')`, [owner, projectId]);

  /** Ada at 80.00/h submits 7.5 h on each of two projects (announced to her tenant unless said otherwise). */
  async function submitted(announce = true): Promise<{ timesheetId: string; projects: [string, string] }> {
    const resourceId = toResourceId(randomUUID());
    const rm = ctx(manager);
    await runner.run(resourceDecider, resourceStreamId(resourceId), { type: 'RegisterPerson', data: { resourceId, userId: 'ada', name: 'Ada', role: 'Developer', department: 'IT' }, metadata: commandMetadata(rm) }, rm);
    const rate = { amountMinor: 8000, currency: 'EUR' };
    await runner.run(resourceDecider, resourceStreamId(resourceId), { type: 'ScheduleCostRate', data: { resourceId, effectiveFrom: '2026-01-01', standardRate: rate, caller: callerOf(rm) }, metadata: commandMetadata(rm) }, rm);
    const timesheetId = toTimesheetId(randomUUID());
    const projects: [string, string] = [randomUUID(), randomUUID()];
    if (announce) for (const projectId of projects) await announced(projectId);
    const lines = projects.map((projectId) => ({ date: '2026-03-02', projectId, taskId: null, minutes: 450, overtimeMinutes: 0 }));
    const own = ctx(person);
    const owner = await ownerOf(resourceId);
    await runner.run(timesheetDecider, timesheetStreamId(timesheetId), { type: 'SubmitTimesheet', data: { timesheetId, owner, weekStart: '2026-03-02', lines, caller: callerOf(own) }, metadata: commandMetadata(own) }, own);
    return { timesheetId, projects };
  }

  beforeAll(async () => {
    db = await createTestDatabase('resource_timesheet_approval');
    await runMigrations(db.url, RESOURCE_MIGRATIONS);
    pool = createPgPool(db.url);
    store = new PgEventStore(pool);
    runner = new DeciderRunner(store);
    reads = new ResourceReadQueries(pool);
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('a crash between the approval and the budget leaves neither; approving again counts the cost exactly once', async () => {
    const { timesheetId, projects } = await submitted();
    const crashing = new TimesheetApprovalTransaction(pool, new CrashBeforeBudgetStore(pool), reads);
    await expect(crashing.approve(timesheetId, ctx(manager), ownerOf)).rejects.toThrow('process killed between the approval and the budget');
    // The approval was rolled back with the budget write: still submitted, nothing counted.
    expect((await timesheet(timesheetId)).state.status).toBe('submitted');
    for (const projectId of projects) expect((await budget(projectId)).version).toBe(0);

    const approval = new TimesheetApprovalTransaction(pool, store, reads);
    const approved = await approval.approve(timesheetId, ctx(manager), ownerOf);
    expect(approved.events.map((e) => e.type)).toEqual(['TimesheetApproved', 'CostIncurred', 'CostIncurred']);
    for (const projectId of projects) {
      // 7.5 h × 80.00 = 600.00 on each project.
      expect((await budget(projectId)).state.actualToDate).toEqual({ amountMinor: 60000, currency: 'EUR' });
    }

    // A retried or repeated approval is a no-op on both streams.
    expect((await approval.approve(timesheetId, ctx(manager), ownerOf)).events).toEqual([]);
    for (const projectId of projects) {
      const { version, state } = await budget(projectId);
      expect([version, state.counted.length, state.actualToDate?.amountMinor]).toEqual([1, 1, 60000]);
    }
  });

  it('a budget that moved on meanwhile rolls the approval back and the whole decision is made again', async () => {
    const { timesheetId, projects } = await submitted();
    const rm = ctx(manager);
    const expense = (): Promise<void> =>
      runner
        .run(budgetDecider, budgetStreamId(projects[0]), { type: 'RecordExpense', data: { projectId: projects[0], expenseId: randomUUID(), category: 'other', amount: { amountMinor: 1234, currency: 'EUR' }, incurredOn: '2026-03-03' }, metadata: commandMetadata(rm) }, rm)
        .then(() => undefined);
    const approval = new TimesheetApprovalTransaction(pool, new RacedBudgetStore(pool, expense), reads);
    const approved = await approval.approve(timesheetId, ctx(manager), ownerOf);
    expect(approved.events[0]?.type).toBe('TimesheetApproved');
    // Submitted, then TimesheetApproved and one CostIncurred per project: appended once, not once per attempt.
    expect((await timesheet(timesheetId)).version).toBe(4);
    const first = await budget(projects[0]);
    // The expense (written by the other writer) and the labour cost, each once.
    expect(first.state.actualToDate).toEqual({ amountMinor: 60000 + 1234, currency: 'EUR' });
    expect(first.version).toBe(2);
  });

  it("refuses a week naming a project planning never announced to the tenant, and touches no budget stream (ADR 0205)", async () => {
    // Accepted before lines were checked at submission; one project is another tenant's.
    const { timesheetId, projects } = await submitted(false);
    await announced(projects[0]);
    await announced(projects[1], 'tenant-someone-else');
    const approval = new TimesheetApprovalTransaction(pool, store, reads);
    await expect(approval.approve(timesheetId, ctx(manager), ownerOf)).rejects.toMatchObject({ code: 'PROJECT_UNKNOWN', kind: 'not-found', details: { projectIds: [projects[1]] } });
    expect((await timesheet(timesheetId)).state.status).toBe('submitted');
    for (const projectId of projects) expect((await budget(projectId)).version).toBe(0);
  });
});
