import type { MspdiProject } from '../mspdi.model';
import { describeWithTestdata, parseTestdata, taskByUid, taskNamed, testdataFiles } from '../testing/testdata.fixtures';

describeWithTestdata('parseMspdi on files saved by Microsoft Project', () => {
  it.each(testdataFiles())('parses %s without error', (file) => {
    expect(() => parseTestdata(file)).not.toThrow();
  });

  it('reads the whole folder (20 files)', () => {
    expect(testdataFiles()).toHaveLength(20);
  });

  describe.each([
    ['task-links-project2003-mspdi.xml', '2014-10-17T08:00:00', false, 'days'],
    ['task-links-project2010-mspdi.xml', '2014-10-17T08:00:00', false, null],
    ['task-links-project2019-mspdi.xml', '2018-10-18T08:00:00', true, null],
  ] as const)('%s', (file, startDate, manual, unit) => {
    let project: MspdiProject;
    beforeAll(() => {
      project = parseTestdata(file);
    });

    it('has the project summary task and 16 tasks in 8 linked pairs', () => {
      expect(project.tasks).toHaveLength(17);
      expect(project.properties.startDate).toBe(startDate);
      expect(project.properties.minutesPerDay).toBe(480);
      expect(taskByUid(project, 0)).toMatchObject({ summary: true, outlineLevel: 0 });
      expect(project.tasks.flatMap((task) => task.predecessors)).toHaveLength(8);
    });

    it('reads one-day estimated durations in the unit Project shows', () => {
      expect(taskByUid(project, 1).duration).toEqual({ days: 1, unit, elapsed: false, estimated: true });
      expect(taskByUid(project, 1).manual).toBe(manual);
    });

    it('maps link types 0..3 to FF, FS, SF, SS and LinkLag tenths of minutes to days', () => {
      const link = (uid: number) => taskByUid(project, uid).predecessors[0];
      expect(link(2)).toEqual({ predecessorUid: 1, type: 'FS', lag: { days: 0, unit: 'days', elapsed: false, estimated: false } });
      expect(link(4).lag).toEqual({ days: 1, unit: 'days', elapsed: false, estimated: false });
      // LinkLag 24000 with LagFormat 9: one week, shown in weeks, i.e. five working days.
      expect(link(8).lag).toEqual({ days: 5, unit: 'weeks', elapsed: false, estimated: false });
      expect(link(10).lag).toMatchObject({ days: 10, unit: 'weeks' });
      expect([link(12).type, link(12).lag]).toEqual(['SF', expect.objectContaining({ days: 2 })]);
      expect([link(14).type, link(14).lag]).toEqual(['SS', expect.objectContaining({ days: 2 })]);
      expect([link(16).type, link(16).lag]).toEqual(['FF', expect.objectContaining({ days: 2 })]);
    });

    it('keeps the slack Microsoft Project computed, in working days', () => {
      expect(taskByUid(project, 1).schedule).toMatchObject({ totalSlackDays: 10, freeSlackDays: 0, critical: false });
      expect(taskByUid(project, 9).schedule).toMatchObject({ totalSlackDays: 0, critical: true });
    });
  });

  it('task-links-project2010: every task carries a Start No Earlier Than constraint on its early start', () => {
    const project = parseTestdata('task-links-project2010-mspdi.xml');
    expect(taskByUid(project, 4).constraint).toEqual({ type: 'SNET', date: '2014-10-21T08:00:00' });
    expect(taskByUid(project, 4).schedule?.earlyStart).toBe('2014-10-21T08:00:00');
  });

  it('task-links-project2019: the SS and SF predecessors carry 11 days of total slack', () => {
    const project = parseTestdata('task-links-project2019-mspdi.xml');
    expect(taskByUid(project, 11).schedule?.totalSlackDays).toBe(11);
    expect(taskByUid(project, 13).schedule?.totalSlackDays).toBe(11);
  });

  it('mspdirelations.xml: a chain through all four link types', () => {
    const project = parseTestdata('mspdirelations.xml');
    expect(project.tasks).toHaveLength(6);
    const links = project.tasks.flatMap((task) => task.predecessors.map((link) => `${link.predecessorUid}-${link.type}->${task.uid}`));
    expect(links).toEqual(['1-FS->2', '2-SS->3', '3-FF->4', '4-SF->5']);
    expect(taskByUid(project, 3).predecessors[0].lag).toMatchObject({ days: 1 });
    expect(taskByUid(project, 5)).toMatchObject({ start: '2006-09-22T08:00:00', finish: '2006-09-25T08:00:00' });
    expect(taskByUid(project, 5).duration).toEqual({ days: 1, unit: 'days', elapsed: false, estimated: true });
  });

  it('mspdiduration.xml: working and elapsed durations in every unit', () => {
    const project = parseTestdata('mspdiduration.xml');
    const duration = (name: string) => taskNamed(project, name).duration;
    expect(project.tasks).toHaveLength(11);
    expect(duration('Task 1').days).toBeCloseTo(1 / 480, 12);
    expect(duration('Task 1').unit).toBe('minutes');
    expect(duration('Task 2')).toEqual({ days: 1 / 8, unit: 'hours', elapsed: false, estimated: false });
    expect(duration('Task 3')).toEqual({ days: 1, unit: 'days', elapsed: false, estimated: false });
    expect(duration('Task 4')).toEqual({ days: 5, unit: 'weeks', elapsed: false, estimated: false });
    expect(duration('Task 5')).toEqual({ days: 20, unit: 'months', elapsed: false, estimated: false });
    // Elapsed durations are wall-clock time: PT24H is one elapsed day, PT720H an elapsed month.
    expect(duration('Task 6')).toEqual({ days: 1 / 1440, unit: 'minutes', elapsed: true, estimated: false });
    expect(duration('Task 7')).toEqual({ days: 1 / 24, unit: 'hours', elapsed: true, estimated: false });
    expect(duration('Task 8')).toEqual({ days: 1, unit: 'days', elapsed: true, estimated: false });
    expect(duration('Task 9')).toEqual({ days: 7, unit: 'weeks', elapsed: true, estimated: false });
    expect(duration('Task 10')).toEqual({ days: 30, unit: 'months', elapsed: true, estimated: false });
    expect(taskByUid(project, 0).duration.unit).toBeNull();
  });

  it('task-durations-project2019: Duration1-10 custom fields in every format', () => {
    const project = parseTestdata('task-durations-project2019-mspdi.xml');
    const custom = (name: string) => taskNamed(project, name).customFields[0];
    expect(project.tasks).toHaveLength(111);
    expect(project.customFields).toHaveLength(10);
    expect(project.customFields[0]).toMatchObject({ fieldId: '188743783', name: 'Duration1' });
    expect(custom('Duration10')).toEqual({
      fieldId: '188743961',
      kind: 'duration',
      duration: { days: 10, unit: 'days', elapsed: false, estimated: false },
    });
    expect(custom('Duration1 - Task 3')).toMatchObject({ duration: { days: 5, unit: 'weeks', elapsed: false } });
    expect(custom('Duration1 - Task 4')).toMatchObject({ duration: { days: 20, unit: 'months', elapsed: false } });
    expect(custom('Duration1 - Task 7')).toMatchObject({ duration: { days: 1, unit: 'days', elapsed: true } });
    expect(custom('Duration1 - Task 9')).toMatchObject({ duration: { days: 30, unit: 'months', elapsed: true } });
    expect(taskNamed(project, 'Duration1').duration).toEqual({ days: 1, unit: null, elapsed: false, estimated: true });
  });

  it('task-dates and task-costs project2019: custom Date and Cost values as written', () => {
    const dates = parseTestdata('task-dates-project2019-mspdi.xml');
    expect(taskNamed(dates, 'Date1').customFields).toEqual([{ fieldId: '188743945', kind: 'text', value: '2014-01-01T09:00:00' }]);
    const costs = parseTestdata('task-costs-project2019-mspdi.xml');
    expect(taskNamed(costs, 'Cost10').customFields).toEqual([{ fieldId: '188743944', kind: 'text', value: '1000' }]);
    expect(costs.customFields.map((field) => field.name)).toContain('Cost4');
  });

  it('task-baselines-project2019: the 11 baselines, one field at a time', () => {
    const project = parseTestdata('task-baselines-project2019-mspdi.xml');
    const baseline = (name: string) => taskNamed(project, name).baselines[0];
    expect(project.tasks).toHaveLength(111);
    // Costs are stored in hundredths: Cost 100 is 1.00.
    expect(baseline('Baseline Cost - Task')).toEqual({ number: 0, start: null, finish: null, duration: null, work: null, cost: 1 });
    expect(baseline('Baseline10 Cost - Task')).toMatchObject({ number: 10, cost: 11 });
    expect(baseline('Baseline Duration - Task')).toMatchObject({ number: 0, duration: { days: 11, unit: null } });
    expect(baseline('Baseline5 Finish - Task')).toMatchObject({ number: 5, finish: '2014-03-06T14:00:00' });
    expect(baseline('Baseline10 Start - Task')).toMatchObject({ number: 10, start: '2014-04-10T19:00:00' });
    expect(baseline('Baseline Work - Task')).toMatchObject({ number: 0, work: 51 });
    const numbers = new Set(project.tasks.flatMap((task) => task.baselines.map((b) => b.number)));
    expect([...numbers].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('baselines.xml: a 450-minute day and ten complete task baselines', () => {
    const project = parseTestdata('baselines.xml');
    const task = taskNamed(project, 'Task One');
    expect(project.properties.minutesPerDay).toBe(450);
    expect(task.duration).toEqual({ days: 1, unit: 'days', elapsed: false, estimated: false });
    expect(task.baselines.map((b) => b.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // Stored as saved, even with the finish a year before the start.
    expect(task.baselines[2]).toEqual({
      number: 3,
      start: '2001-01-03T09:00:00',
      finish: '2000-01-03T17:30:00',
      duration: { days: 3, unit: 'days', elapsed: false, estimated: false },
      work: 3,
      cost: 3,
    });
  });

  it('sample.xml: outline, lead, milestone, constraint, cost and work', () => {
    const project = parseTestdata('sample.xml');
    expect(project.tasks).toHaveLength(20);
    expect(taskNamed(project, 'Second Task')).toMatchObject({ outlineLevel: 2, outlineNumber: '1.1', wbs: '1.1', cost: 3526.25, work: 500 });
    expect(taskNamed(project, 'Third task')).toMatchObject({ milestone: true, duration: { days: 0 } });
    expect(taskNamed(project, 'Related Task 3b').predecessors[0]).toMatchObject({ type: 'FS', lag: { days: -1 } });
    expect(taskNamed(project, 'Related Task 6b')).toMatchObject({
      predecessors: [{ predecessorUid: 20, type: 'SF' }],
      constraint: { type: 'SNET', date: '2003-01-06T08:00:00' },
    });
  });

  it('mspdisplittask.xml: split tasks keep their duration in weeks', () => {
    const project = parseTestdata('mspdisplittask.xml');
    expect(taskNamed(project, 'Split Task 1').duration).toEqual({ days: 10, unit: 'weeks', elapsed: false, estimated: false });
    expect(taskNamed(project, 'Split Task 2').duration.days).toBe(15);
    expect(project.assignments).toHaveLength(2);
  });
});
