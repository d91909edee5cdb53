import type { MspdiProject, MspdiResource } from '../mspdi.model';
import { describeWithTestdata, parseTestdata, taskNamed } from '../testing/testdata.fixtures';

const resourceNamed = (project: MspdiProject, name: string): MspdiResource => {
  const resource = project.resources.find((candidate) => candidate.name === name);
  if (!resource) throw new Error(`no resource named ${name}`);
  return resource;
};

describeWithTestdata('resources, assignments, rates and availability saved by Microsoft Project', () => {
  it('mspdiresource.xml: work and material resources with rates, costs and notes', () => {
    const project = parseTestdata('mspdiresource.xml');
    expect(project.resources).toHaveLength(5);
    expect(resourceNamed(project, 'Wade Golden')).toMatchObject({
      type: 'work',
      initials: 'WG',
      code: '10',
      group: 'Steelray',
      emailAddress: 'wade.golden@steelray.com',
      maxUnits: 1,
      standardRate: { perHour: 50, unit: 'hour' },
      overtimeRate: { perHour: 100, unit: 'hour' },
      accrueAt: 'end',
      notes: 'Resource Notes 1',
      calendarUid: 3,
    });
    expect(resourceNamed(project, 'Concrete')).toMatchObject({
      type: 'material',
      materialLabel: 'ton',
      maxUnits: null,
      costPerUse: 500,
      accrueAt: 'start',
      standardRate: { perHour: 0, unit: 'material' },
    });
  });

  it('mspdiresource.xml: assignments with progress, cost in currency units and work in hours', () => {
    const project = parseTestdata('mspdiresource.xml');
    const completed = taskNamed(project, 'Completed Task');
    expect(completed).toMatchObject({ percentComplete: 100, actualStart: '2006-08-26T08:00:00', actualFinish: '2006-08-29T17:00:00' });
    const assignment = project.assignments.find((candidate) => candidate.taskUid === completed.uid);
    expect(assignment).toMatchObject({
      resourceUid: 1,
      units: 1,
      percentWorkComplete: 100,
      actualStart: '2006-08-26T08:00:00',
      actualFinish: '2006-08-29T17:00:00',
      work: 16,
      actualWork: 16,
      // 16 h at 50/h: Cost 80000 in the file is 800.00.
      cost: 800,
    });
    expect(taskNamed(project, 'Task A')).toMatchObject({ cost: 5400, work: 72 });
  });

  it('mspdicostratetable.xml: five cost rate tables, rates stored per hour whatever unit is shown', () => {
    const project = parseTestdata('mspdicostratetable.xml');
    const two = resourceNamed(project, 'Resource Two');
    expect(two.costRates.map((rate) => [rate.table, rate.standardRate?.perHour, rate.overtimeRate?.perHour, rate.costPerUse])).toEqual([
      ['A', 5, 10, 15],
      ['B', 20, 25, 30],
      ['C', 35, 40, 45],
      ['D', 50, 55, 60],
      ['E', 65, 70, 75],
    ]);
    const three = resourceNamed(project, 'Resource Three');
    const tableA = three.costRates.filter((rate) => rate.table === 'A');
    expect(tableA).toEqual([
      {
        table: 'A',
        from: '1984-01-01T00:00:00',
        to: '2009-06-15T08:00:00',
        standardRate: { perHour: 5, unit: 'hour' },
        overtimeRate: { perHour: 10, unit: 'hour' },
        costPerUse: 15,
      },
      {
        table: 'A',
        from: '2009-06-15T08:00:00',
        to: '2049-12-31T23:59:06',
        // Shown as 20/minute, stored as 1200 per hour.
        standardRate: { perHour: 1200, unit: 'minute' },
        overtimeRate: { perHour: 25, unit: 'hour' },
        costPerUse: 30,
      },
    ]);
    const tableB = three.costRates.filter((rate) => rate.table === 'B');
    // 50/day and 55/week on an 8-hour day and 40-hour week.
    expect(tableB[1]).toMatchObject({ standardRate: { perHour: 6.25, unit: 'day' }, overtimeRate: { perHour: 1.375, unit: 'week' } });
  });

  it('mspdiavailability.xml: availability periods with their units', () => {
    const two = resourceNamed(parseTestdata('mspdiavailability.xml'), 'Resource Two');
    expect(two).toMatchObject({ availableFrom: '2009-06-01T00:00:00', availableTo: '2009-07-01T23:59:00' });
    expect(two.availability).toEqual([
      { from: '2009-06-01T00:00:00', to: '2009-07-01T23:59:00', units: 1 },
      { from: '2009-07-02T00:00:00', to: '2009-08-01T23:59:00', units: 0.6 },
      { from: '2009-08-20T00:00:00', to: '2009-08-30T23:59:00', units: 0.75 },
    ]);
  });

  it('resource-type-project2016: cost resources are Type 0 with IsCostResource', () => {
    const project = parseTestdata('resource-type-project2016-mspdi.xml');
    const types = project.resources.filter((r) => r.uid > 0).map((r) => r.type);
    expect(types.filter((type) => type === 'cost')).toHaveLength(5);
    expect(types.filter((type) => type === 'material')).toHaveLength(5);
    expect(types.filter((type) => type === 'work')).toHaveLength(5);
    expect(resourceNamed(project, 'Cost Resource 1')).toMatchObject({ type: 'cost', maxUnits: null });
    expect(resourceNamed(project, 'Work Resource 5')).toMatchObject({ type: 'work', maxUnits: 1 });
  });

  it('resource-numbers-project2019: resource custom Number fields', () => {
    const project = parseTestdata('resource-numbers-project2019-mspdi.xml');
    expect(project.resources).toHaveLength(21);
    expect(resourceNamed(project, 'Number1').customFields).toContainEqual({ fieldId: '205521008', kind: 'text', value: '1' });
    expect(project.customFields.find((field) => field.fieldId === '188743767')?.name).toBe('Number1');
  });

  it('assignment-assignments-project2019: three assignments at 0, 25 and 50 % of work done', () => {
    const project = parseTestdata('assignment-assignments-project2019-mspdi.xml');
    expect(project.assignments.map((a) => [a.uid, a.taskUid, a.resourceUid, a.percentWorkComplete, a.actualWork, a.remainingWork])).toEqual([
      [4, 1, 1, 0, 0, 80],
      [5, 2, 2, 25, 20, 60],
      [6, 3, 3, 50, 40, 40],
    ]);
    expect(project.assignments[1]).toMatchObject({ start: '2016-01-04T08:00:00', finish: '2016-01-15T17:00:00', work: 80, units: 1 });
  });

  it('baselines.xml: resource and assignment baselines; an unassigned assignment has no resource', () => {
    const project = parseTestdata('baselines.xml');
    expect(resourceNamed(project, 'Resource One').baselines[9]).toEqual({ number: 10, work: 10, cost: 10 });
    expect(project.assignments[0]).toMatchObject({
      resourceUid: null,
      baselines: [{ number: 1, start: '2008-01-30T09:00:00', finish: '2008-01-31T08:30:00', work: 7.5, cost: null }],
    });
  });
});
