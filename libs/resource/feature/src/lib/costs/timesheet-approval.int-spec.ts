import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { ExpectedVersionConflict, PgEventStore, TransactionOrderConflict, WritePath, createPgPool, runMigrations } from '@pm/platform/event-store';
import type { Principal } from '@pm/platform/auth';
import { createTestDatabase } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { RESOURCE_MIGRATIONS, ResourceReadQueries } from '@pm/resource/data-access';
import { budgetAggregate, budgetStreamId, resourceAggregate, resourceStreamId, timesheetAggregate, timesheetStreamId, toResourceId, toTimesheetId } from '@pm/resource/domain';
import type { TimesheetOwner } from '@pm/resource/domain';
import { callerOf, commandMetadata, requestContext } from '../shared/request-context';
import type { RequestContext } from '../shared/request-context';
import { TimesheetApprovalTransaction } from './timesheet-approval.transaction';

const tenant = 'tenant-approval';
const person: Principal = { sub: 'ada', tenantId: tenant, roles: ['team-member'], actor: 'user:ada' };
const manager: Principal = { sub: 'rm-1', tenantId: tenant, roles: ['resource-manager'], actor: 'user:rm-1' };

/**
 * A store whose process dies once just before a transaction commits, after everything in it was written: the
 * approval and the budget costs were appended, and the COMMIT never comes.
 */
class CrashBeforeCommitStore extends PgEventStore {
  crashes = 1;

  override transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    return super.transaction(async (client) => {
      const result = await work(client);
      if (this.crashes > 0) {
        this.crashes--;
        throw new Error('process killed before the commit');
      }
      return result;
    });
  }
}

/** A store where another writer records an expense on a budget right after a plan has read that budget. */
class RacedBudgetStore extends PgEventStore {
  constructor(
    pool: Pool,
    private readonly raced: string,
    private readonly race: () => Promise<void>,
    public races = 1,
  ) {
    super(pool);
  }

  // The write path loads a stream for its fold with `loadForFold` (snapshot + tail in one round trip).
  override async loadForFold(...args: Parameters<PgEventStore['loadForFold']>): ReturnType<PgEventStore['loadForFold']> {
    const loaded = await super.loadForFold(...args);
    if (args[0] === this.raced && this.races > 0) {
      this.races--;
      await this.race();
    }
    return loaded;
  }
}

describe('Timesheet approval and budget in one plan of the write path (real PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: PgEventStore;
  let writePath: WritePath;
  let reads: ResourceReadQueries;
  const ctx = (principal: Principal): RequestContext => requestContext(principal);

  const ownerOf = async (resourceId: string): Promise<TimesheetOwner | null> => {
    const { state } = await writePath.load(resourceAggregate, resourceStreamId(tenant, resourceId), tenant);
    return state.status === 'registered' && state.resource.kind === 'person' ? { resourceId, userId: state.resource.userId, rates: state.resource.rates } : null;
  };

  const budget = async (projectId: string) => writePath.load(budgetAggregate, budgetStreamId(tenant, projectId), tenant);
  const timesheet = async (timesheetId: string) => writePath.load(timesheetAggregate, timesheetStreamId(tenant, timesheetId), tenant);
  const storedEvents = async () => Number((await pool.query<{ n: string }>('SELECT count(*)::text AS n FROM es_events')).rows[0].n);

  /** A project planning announced to `owner` (the local copy the resource service keeps of pm.planning.ProjectCreated). */
  const announced = async (projectId: string, owner = tenant) =>
    pool.query(`INSERT INTO planning_projects (tenant_id, project_id, name, priority) VALUES ($1, $2, 'P', 'medium')`, [owner, projectId]);

  /** Another writer's expense on a project's budget, through the same write path. */
  const expense = (projectId: string, amountMinor = 1234) => {
    const rm = ctx(manager);
    return writePath
      .handle(rm, budgetAggregate, budgetStreamId(tenant, projectId), { type: 'RecordExpense', data: { projectId, expenseId: randomUUID(), category: 'other', amount: { amountMinor, currency: 'EUR' }, incurredOn: '2026-03-03' }, metadata: commandMetadata(rm) })
      .then(() => undefined);
  };

  /** Ada at 80.00/h submits 7.5 h on each of two projects (announced to her tenant unless said otherwise). */
  async function submitted(announce = true): Promise<{ timesheetId: string; projects: [string, string] }> {
    const resourceId = toResourceId(randomUUID());
    const rm = ctx(manager);
    const stream = resourceStreamId(tenant, resourceId);
    await writePath.handle(rm, resourceAggregate, stream, { type: 'RegisterPerson', data: { resourceId, userId: 'ada', name: 'Ada', role: 'Developer', department: 'IT' }, metadata: commandMetadata(rm) });
    const rate = { amountMinor: 8000, currency: 'EUR' };
    await writePath.handle(rm, resourceAggregate, stream, { type: 'ScheduleCostRate', data: { resourceId, effectiveFrom: '2026-01-01', standardRate: rate, caller: callerOf(rm) }, metadata: commandMetadata(rm) });
    const timesheetId = toTimesheetId(randomUUID());
    const projects: [string, string] = [randomUUID(), randomUUID()];
    if (announce) for (const projectId of projects) await announced(projectId);
    const lines = projects.map((projectId) => ({ date: '2026-03-02', projectId, taskId: null, minutes: 450, overtimeMinutes: 0 }));
    const own = ctx(person);
    const owner = await ownerOf(resourceId);
    await writePath.handle(own, timesheetAggregate, timesheetStreamId(tenant, timesheetId), { type: 'SubmitTimesheet', data: { timesheetId, owner, weekStart: '2026-03-02', lines, caller: callerOf(own) }, metadata: commandMetadata(own) });
    return { timesheetId, projects };
  }

  beforeAll(async () => {
    db = await createTestDatabase('resource_timesheet_approval');
    await runMigrations(db.url, RESOURCE_MIGRATIONS);
    pool = createPgPool(db.url);
    store = new PgEventStore(pool);
    writePath = new WritePath(store);
    reads = new ResourceReadQueries(pool);
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('a crash before the commit leaves neither the approval nor the costs; approving again counts the cost exactly once', async () => {
    const { timesheetId, projects } = await submitted();
    const before = await storedEvents();
    const crashing = new TimesheetApprovalTransaction(new WritePath(new CrashBeforeCommitStore(pool)), reads);
    await expect(crashing.approve(timesheetId, ctx(manager), ownerOf)).rejects.toThrow('process killed before the commit');
    // The approval was rolled back with the budget writes: still submitted, nothing counted, nothing stored.
    expect(await storedEvents()).toBe(before);
    expect((await timesheet(timesheetId)).state.status).toBe('submitted');
    for (const projectId of projects) expect((await budget(projectId)).version).toBe(0);

    // Every stream snapshotted on every write: the repeat below decides on budgets loaded from their snapshots.
    const approval = new TimesheetApprovalTransaction(new WritePath(store, { snapshotEvery: 1 }), reads);
    const rm = ctx(manager);
    const approved = await approval.approve(timesheetId, rm, ownerOf);
    expect(approved.events.map((e) => e.type)).toEqual(['TimesheetApproved', 'CostIncurred', 'CostIncurred']);
    expect(approved.version).toBe(4);
    for (const projectId of projects) {
      // 7.5 h × 80.00 = 600.00 on each project.
      expect((await budget(projectId)).state.actualToDate).toEqual({ amountMinor: 60000, currency: 'EUR' });
      expect(await store.loadSnapshot(budgetStreamId(tenant, projectId), 'resource.budget', 1, tenant)).toMatchObject({ streamVersion: 1 });
    }
    // One request, one cause: every event of the plan, on every stream, carries the approval's correlation and causation.
    const written = [...(await store.readStream(timesheetStreamId(tenant, timesheetId), { fromVersion: 2, tenantId: tenant })), ...(await Promise.all(projects.map((p) => store.readStream(budgetStreamId(tenant, p), { tenantId: tenant })))).flat()];
    expect(written.map((e) => e.type).sort()).toEqual(['ActualCostRecorded', 'ActualCostRecorded', 'CostIncurred', 'CostIncurred', 'TimesheetApproved']);
    expect(new Set(written.map((e) => `${e.metadata.correlationId}|${e.metadata.causationId}|${e.metadata.actor}`))).toEqual(new Set([`${rm.correlationId}|${rm.causationId}|user:rm-1`]));

    // A retried or repeated approval is a no-op on both streams.
    const again = await approval.approve(timesheetId, ctx(manager), ownerOf);
    expect(again).toEqual({ version: 4, events: [] });
    for (const projectId of projects) {
      const { version, state } = await budget(projectId);
      expect([version, state.counted.length, state.actualToDate?.amountMinor]).toEqual([1, 1, 60000]);
    }
  });

  it('a budget that moved on meanwhile rolls the approval back and the whole decision is made again', async () => {
    const { timesheetId, projects } = await submitted();
    const approval = new TimesheetApprovalTransaction(new WritePath(new RacedBudgetStore(pool, budgetStreamId(tenant, projects[0]), () => expense(projects[0]))), reads);
    let runs = 0;
    const approved = await approval.approve(timesheetId, ctx(manager), (resourceId) => (runs++, ownerOf(resourceId)));
    expect(approved.events[0]?.type).toBe('TimesheetApproved');
    // The plan ran twice: the first run decided on the budget as it was before the expense, and lost.
    expect(runs).toBe(2);
    // Submitted, then TimesheetApproved and one CostIncurred per project: appended once, not once per attempt.
    expect((await timesheet(timesheetId)).version).toBe(4);
    const first = await budget(projects[0]);
    // The expense (written by the other writer) and the labour cost, each once.
    expect(first.state.actualToDate).toEqual({ amountMinor: 60000 + 1234, currency: 'EUR' });
    expect(first.version).toBe(2);
    expect((await budget(projects[1])).version).toBe(1);
  });

  it('a budget that refuses the cost refuses the approval: nothing is stored on any stream', async () => {
    const { timesheetId, projects } = await submitted();
    // The second project's costs are in USD: its budget refuses the approval's EUR cost.
    const rm = ctx(manager);
    const usd = (amountMinor: number) => ({ amountMinor, currency: 'USD' });
    const inUsd = { projectId: projects[1], categories: { labour: usd(1_000_00), equipment: usd(0), materials: usd(0), other: usd(0) }, contingency: usd(0), managementReserve: usd(0), thresholdPercent: 100 };
    await writePath.handle(rm, budgetAggregate, budgetStreamId(tenant, projects[1]), { type: 'SetProjectBudget', data: inUsd, metadata: commandMetadata(rm) });
    const before = await storedEvents();

    const approval = new TimesheetApprovalTransaction(writePath, reads);
    await expect(approval.approve(timesheetId, ctx(manager), ownerOf)).rejects.toMatchObject({ code: 'CURRENCY_MISMATCH', kind: 'invalid' });
    expect(await storedEvents()).toBe(before);
    expect((await timesheet(timesheetId))).toMatchObject({ version: 1, state: { status: 'submitted' } });
    expect((await budget(projects[0])).version).toBe(0);
    expect((await budget(projects[1])).version).toBe(1);
  });

  it('a writer that wins every race leaves the approval stored nowhere once the retries are spent', async () => {
    const { timesheetId, projects } = await submitted();
    const stubborn = new RacedBudgetStore(pool, budgetStreamId(tenant, projects[0]), () => expense(projects[0], 100), Number.POSITIVE_INFINITY);
    const approval = new TimesheetApprovalTransaction(new WritePath(stubborn, { retriesOnConflict: 2 }), reads);
    let runs = 0;
    const refused = await approval.approve(timesheetId, ctx(manager), (resourceId) => (runs++, ownerOf(resourceId))).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused instanceof ExpectedVersionConflict || refused instanceof TransactionOrderConflict).toBe(true);
    expect(runs).toBe(3);
    // Three attempts, each beaten by one expense: the budget holds those and nothing of the approval.
    const first = await budget(projects[0]);
    expect([first.version, first.state.actualToDate?.amountMinor, first.state.counted.every((id) => id.startsWith('expense:'))]).toEqual([3, 300, true]);
    expect((await budget(projects[1])).version).toBe(0);
    expect((await timesheet(timesheetId))).toMatchObject({ version: 1, state: { status: 'submitted' } });
  });

  it("refuses a week naming a project planning never announced to the tenant, and touches no budget stream (ADR 0205)", async () => {
    // Accepted before lines were checked at submission; one project is another tenant's.
    const { timesheetId, projects } = await submitted(false);
    await announced(projects[0]);
    await announced(projects[1], 'tenant-someone-else');
    const approval = new TimesheetApprovalTransaction(writePath, reads);
    await expect(approval.approve(timesheetId, ctx(manager), ownerOf)).rejects.toMatchObject({ code: 'PROJECT_UNKNOWN', kind: 'not-found', details: { projectIds: [projects[1]] } });
    expect((await timesheet(timesheetId)).state.status).toBe('submitted');
    for (const projectId of projects) expect((await budget(projectId)).version).toBe(0);
  });
});
