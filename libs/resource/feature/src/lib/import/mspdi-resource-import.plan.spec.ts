import { parseMspdi } from '@pm/shared/interchange';
import { resourceDecider } from '@pm/resource/domain';
import type { ResourceCommand, ResourceState, ScheduleCostRate } from '@pm/resource/domain';
import { importedId } from './imported-id';
import { planResourceImport } from './mspdi-resource-import.plan';
import type { ImportOptions, PlannedResource, ResourceImportPlan } from './mspdi-resource-import.plan';
import { describeWithMspdiTestdata, readMspdiTestdata, resourceBearingFiles } from './mspdi-testdata.fixtures';

const options = (now = '2026-11-26T10:00:00.000Z', overrides: Partial<ImportOptions> = {}): ImportOptions => ({
  tenantId: 'tenant-a',
  importId: '6f1c1f3e-1d7b-4c0e-9a55-0d6c7b0e2a11',
  projectId: '0b5a4c1e-55aa-4d3b-8f0e-3c2d1b0a9f88',
  metadata: { now, actor: 'user:rm-1', tenantId: 'tenant-a' },
  caller: { userId: 'rm-1', actor: 'user:rm-1', roles: ['resource-manager'] },
  ...overrides,
});

const plan = (file: string, opts = options()): ResourceImportPlan => planResourceImport(parseMspdi(readMspdiTestdata(file)), opts);

const named = (p: ResourceImportPlan, name: string): PlannedResource => {
  const found = p.resources.find((r) => r.name === name);
  if (!found) throw new Error(`no planned resource ${name}`);
  return found;
};

const rateRows = (r: PlannedResource) =>
  r.follow
    .filter((c): c is ScheduleCostRate => c.type === 'ScheduleCostRate')
    .map((c) => [c.data.effectiveFrom, c.data.standardRate.amountMinor, c.data.overtimeRate?.amountMinor, c.data.standardRate.currency]);

/** Runs the plan's commands through the real decider, the way the handler does, and fails on any rejection. */
function replay(resource: PlannedResource): ResourceState {
  const commands: ResourceCommand[] = [resource.register, ...resource.follow];
  return commands.reduce((state, command) => resourceDecider.decide(command, state).reduce(resourceDecider.evolve, state), resourceDecider.initialState());
}

describe('importedId', () => {
  it('is a version 5 UUID, the same for the same tenant, import and UID, different otherwise', () => {
    const id = importedId('t', 'i', 'resource', 1);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(importedId('t', 'i', 'resource', 1)).toBe(id);
    expect(new Set([id, importedId('t', 'i', 'resource', 2), importedId('t', 'j', 'resource', 1), importedId('u', 'i', 'resource', 1), importedId('t', 'i', 'assignment', 1)]).size).toBe(5);
  });
});

describeWithMspdiTestdata('MSPDI resource import plan, on files saved by Microsoft Project', () => {
  it('finds the resource-bearing files the issue names', () => {
    expect(resourceBearingFiles()).toEqual(
      expect.arrayContaining([
        'assignment-assignments-project2019-mspdi.xml',
        'mspdiavailability.xml',
        'mspdicostratetable.xml',
        'mspdiresource.xml',
        'resource-numbers-project2019-mspdi.xml',
        'resource-type-project2016-mspdi.xml',
      ]),
    );
  });

  it.each(resourceBearingFiles())('%s: every planned command is accepted by the resource decider', (file) => {
    const p = plan(file, options());
    for (const resource of p.resources) expect(replay(resource).status).toBe('registered');
  });

  it('mspdiresource.xml: three people at their standard and overtime rates, concrete as material at 500.00 per use', () => {
    const p = plan('mspdiresource.xml');
    expect(p.resources.map((r) => [r.uid, r.name, r.register.type])).toEqual([
      [1, 'Wade Golden', 'RegisterPerson'],
      [2, 'Jon Iles', 'RegisterPerson'],
      [3, 'Brian Leach', 'RegisterPerson'],
      [4, 'Concrete', 'RegisterEquipment'],
    ]);
    // No rate table in the file: one row for all time, from Microsoft Project's earliest date.
    expect(rateRows(named(p, 'Wade Golden'))).toEqual([['1984-01-01', 5000, 10000, 'GBP']]);
    expect(named(p, 'Wade Golden').register.data).toMatchObject({ department: 'Steelray', availabilityPercent: 100 });
    // Wade Golden's calendar is the Standard one: he follows the tenant's calendar. Brian Leach works the
    // Night Shift base calendar, Monday to Saturday, whose 1 h Monday and 7 h Saturday one day length cannot hold.
    expect(named(p, 'Wade Golden').register.data).toMatchObject({ calendar: null });
    expect(named(p, 'Brian Leach').register.data).toMatchObject({ calendar: { workingWeekdays: [1, 2, 3, 4, 5, 6], hoursPerDay: 8, holidays: [], exceptions: [] } });
    expect(p.warnings.find((w) => w.startsWith('resource 3 (Brian Leach): working days of'))).toMatch(/imported as 8 h each$/);
    expect(named(p, 'Concrete').register.data).toMatchObject({ kind: 'material', unit: 'ton', costPerUse: { amountMinor: 50000, currency: 'GBP' } });
    expect(p.assignments).toHaveLength(5);
    expect(p.assignments.map((a) => [a.uid, a.taskId, a.load])).toContainEqual([5, 't2', { kind: 'units', percent: 100 }]);
  });

  it('mspdicostratetable.xml: rate table A with its effective dates, 20/minute as 1,200.00/hour; tables B-E reported', () => {
    const p = plan('mspdicostratetable.xml');
    expect(rateRows(named(p, 'Resource Two'))).toEqual([['1984-01-01', 500, 1000, 'GBP']]);
    expect(rateRows(named(p, 'Resource Three'))).toEqual([
      ['1984-01-01', 500, 1000, 'GBP'],
      ['2009-06-15', 120000, 2500, 'GBP'],
    ]);
    expect(p.warnings).toContain('resource 3 (Resource Three): cost rate tables B, C, D, E not imported (one rate table per resource)');
    const three = replay(named(p, 'Resource Three'));
    expect(three.status === 'registered' && 'rates' in three.resource && three.resource.rates.map((r) => r.standardRate.amountMinor)).toEqual([500, 120000]);
  });

  it('mspdiavailability.xml: the availability period in force on the import date, else max units', () => {
    expect(named(plan('mspdiavailability.xml', options('2009-07-15T09:00:00.000Z')), 'Resource Two').register.data).toMatchObject({ availabilityPercent: 60 });
    expect(named(plan('mspdiavailability.xml', options('2009-08-25T09:00:00.000Z')), 'Resource Two').register.data).toMatchObject({ availabilityPercent: 75 });
    const later = plan('mspdiavailability.xml');
    expect(named(later, 'Resource Two').register.data).toMatchObject({ availabilityPercent: 100 });
    expect(later.warnings).toContain('resource 2 (Resource Two): 3 availability periods, imported as 100 % (in force on 2026-11-26)');
  });

  it('resource-type-project2016: five people, five materials; the five cost resources skipped with the reason', () => {
    const p = plan('resource-type-project2016-mspdi.xml');
    expect(p.resources.filter((r) => r.register.type === 'RegisterPerson')).toHaveLength(5);
    expect(p.resources.filter((r) => r.register.type === 'RegisterEquipment')).toHaveLength(5);
    expect(p.skippedResources.map((s) => s.reason)).toEqual(['PROJECT_PLACEHOLDER', ...Array<string>(5).fill('COST_RESOURCE')]);
  });

  it('resource-numbers-project2019: twenty people (UID 0 is the placeholder)', () => {
    const p = plan('resource-numbers-project2019-mspdi.xml');
    expect(p.resources).toHaveLength(20);
    expect(p.resources[0]).toMatchObject({ uid: 1, name: 'Number1' });
  });

  it('assignment-assignments-project2019: three full-time assignments onto planning tasks t1..t3', () => {
    const p = plan('assignment-assignments-project2019-mspdi.xml');
    expect(p.assignments.map((a) => [a.uid, a.taskId, a.resourceUid, a.load])).toEqual([
      [4, 't1', 1, { kind: 'units', percent: 100 }],
      [5, 't2', 2, { kind: 'units', percent: 100 }],
      [6, 't3', 3, { kind: 'units', percent: 100 }],
    ]);
    expect(planResourceImport(parseMspdi(readMspdiTestdata('assignment-assignments-project2019-mspdi.xml')), options(undefined, { projectId: null })).skippedAssignments.map((s) => s.reason)).toEqual([
      'NO_PROJECT',
      'NO_PROJECT',
      'NO_PROJECT',
    ]);
  });

  it('baselines.xml: no CurrencyCode reads as USD (Microsoft Project\'s default); the unassigned placeholder is skipped', () => {
    const p = plan('baselines.xml');
    expect(rateRows(named(p, 'Resource One'))).toEqual([['1984-01-01', 0, 0, 'USD']]);
    expect(p.skippedAssignments.map((s) => s.reason)).toEqual(['NO_RESOURCE']);
  });

  it('a currency that is not an ISO 4217 code imports people without rates and says so', () => {
    const project = parseMspdi(readMspdiTestdata('mspdiresource.xml'));
    const p = planResourceImport({ ...project, properties: { ...project.properties, currencyCode: '£' } }, options());
    expect(rateRows(named(p, 'Wade Golden'))).toEqual([]);
    expect(p.warnings).toContain("resource 1 (Wade Golden): the file's currency is not an ISO 4217 code, rates not imported");
    expect(p.skippedResources).toContainEqual(expect.objectContaining({ uid: 4, reason: 'NO_CURRENCY' }));
  });
});
