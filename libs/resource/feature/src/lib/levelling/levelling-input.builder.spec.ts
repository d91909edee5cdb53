import { STANDARD_CALENDAR, levelResources } from '@pm/resource/domain';
import type { PoolEntry } from '@pm/resource/data-access';
import { createWorkingCalendar } from '@pm/shared/scheduling';
import { buildLevellingInput, earliestStart, toDated } from './levelling-input.builder';
import type { PlanSnapshot } from './levelling-input.builder';

const ada: PoolEntry = { resourceId: 'ada', kind: 'person', name: 'Ada', role: 'Dev', department: 'IT', userId: null, calendar: null, availabilityPercent: 100, skills: {}, leave: [] };
const task = (projectId: string, taskId: string, start: string, durationDays: number, totalFloat = 0) => ({
  projectId, taskId, name: taskId, start, finish: null, durationDays, totalFloat, critical: totalFloat <= 0,
});

function level(plan: Omit<PlanSnapshot, 'people'>, priorities: Record<string, number> = {}) {
  const calendar = createWorkingCalendar(STANDARD_CALENDAR, earliestStart(plan.tasks) as string);
  const input = buildLevellingInput({ ...plan, people: new Map([['ada', ada]]) }, calendar, STANDARD_CALENDAR, new Map(Object.entries(priorities)), 100);
  return toDated(levelResources(input), input, calendar);
}

describe('Levelling over the local copy of the plan', () => {
  // Two critical 5-day tasks in two projects, both on Ada full time in the week of Monday 2025-09-01.
  const tasks = [task('p-crm', 'build', '2025-09-01', 5), task('p-erp', 'build', '2025-09-01', 5)];
  const assignments = [
    { projectId: 'p-crm', taskId: 'build', resourceId: 'ada', load: { kind: 'units' as const, percent: 100 } },
    { projectId: 'p-erp', taskId: 'build', resourceId: 'ada', load: { kind: 'work' as const, minutes: 2400 } },
  ];

  it("delays the lower-priority project's task by a working week, in dates", () => {
    const dated = level({ tasks, links: [], assignments, projectPriorities: new Map([['p-crm', 'low'], ['p-erp', 'critical']]) });
    expect(dated.moves).toEqual([{ projectId: 'p-crm', taskId: 'build', fromStart: '2025-09-01', toStart: '2025-09-08', toFinish: '2025-09-12', delayDays: 5, withinFloat: false }]);
    expect([dated.finishBefore, dated.finishAfter]).toEqual(['2025-09-05', '2025-09-12']);
  });

  it('lets a task priority given in the request win over the project priority', () => {
    const dated = level({ tasks, links: [], assignments, projectPriorities: new Map([['p-crm', 'low'], ['p-erp', 'critical']]) }, { 'p-crm/build': 1000, 'p-erp/build': 0 });
    expect(dated.moves.map((m) => m.projectId)).toEqual(['p-erp']);
  });

  it('reads a task called constructor or __proto__ as a task, not as a property of the priorities', () => {
    const named = [task('p-crm', 'constructor', '2025-09-01', 5), task('p-erp', '__proto__', '2025-09-01', 5)];
    const on = (projectId: string, taskId: string) => ({ projectId, taskId, resourceId: 'ada', load: { kind: 'units' as const, percent: 100 } });
    const plan = { tasks: named, links: [], assignments: [on('p-crm', 'constructor'), on('p-erp', '__proto__')], projectPriorities: new Map([['p-crm', 'low'], ['p-erp', 'critical']]) };
    // Without a request priority the project's wins; with one, the request's.
    expect(level(plan).moves.map((m) => m.taskId)).toEqual(['constructor']);
    expect(level(plan, JSON.parse('{"__proto__": 0, "constructor": 1000}') as Record<string, number>).moves.map((m) => m.taskId)).toEqual(['__proto__']);
  });

  it('moves a successor across the weekend along its finish-to-start link', () => {
    const linked = [...tasks, task('p-crm', 'test', '2025-09-08', 2)];
    const dated = level({
      tasks: linked,
      links: [{ projectId: 'p-crm', from: 'build', to: 'test', type: 'FS', lagDays: 0 }],
      assignments,
      projectPriorities: new Map([['p-crm', 'low'], ['p-erp', 'high']]),
    });
    expect(dated.moves.map((m) => [m.taskId, m.projectId, m.toStart, m.toFinish])).toEqual([
      ['build', 'p-crm', '2025-09-08', '2025-09-12'],
      ['test', 'p-crm', '2025-09-15', '2025-09-16'],
    ]);
  });

});

describe("Levelling on each person's own calendar", () => {
  // Bea works Monday to Thursday, 10 h; the tenant's calendar (the plan's days) is Monday to Friday, 8 h.
  const bea: PoolEntry = { ...ada, resourceId: 'bea', name: 'Bea', calendar: { workingWeekdays: [1, 2, 3, 4], hoursPerDay: 10, holidays: [] } };
  const levelBea = (plan: Omit<PlanSnapshot, 'people'>) => {
    const calendar = createWorkingCalendar(STANDARD_CALENDAR, earliestStart(plan.tasks) as string);
    const input = buildLevellingInput({ ...plan, people: new Map([['bea', bea]]) }, calendar, STANDARD_CALENDAR, new Map(), 100);
    return { input, dated: toDated(levelResources(input), input, calendar) };
  };
  const onBea = (projectId: string) => ({ projectId, taskId: 'build', resourceId: 'bea', load: { kind: 'units' as const, percent: 100 } });

  it('asks 600 minutes on her working days and nothing on her Friday, so a full week fits her alone', () => {
    const { input, dated } = levelBea({ tasks: [task('p-crm', 'build', '2025-09-01', 5)], links: [], assignments: [onBea('p-crm')], projectPriorities: new Map() });
    const [load] = input.loads;
    expect([0, 1, 2, 3, 4].map((d) => input.demandOn?.(load as (typeof input.loads)[number], d))).toEqual([600, 600, 600, 600, 0]);
    expect([0, 4].map((d) => input.capacityOn('bea', d))).toEqual([600, 0]);
    expect(dated).toMatchObject({ moves: [], unresolved: [] });
  });

  it('moves the lower-priority task to start on her day off, so it asks for her from the Monday after', () => {
    const { dated } = levelBea({
      tasks: [task('p-crm', 'build', '2025-09-01', 5), task('p-erp', 'build', '2025-09-01', 5)],
      links: [],
      assignments: [onBea('p-crm'), onBea('p-erp')],
      projectPriorities: new Map([['p-crm', 'low'], ['p-erp', 'critical']]),
    });
    expect(dated.moves).toEqual([{ projectId: 'p-crm', taskId: 'build', fromStart: '2025-09-01', toStart: '2025-09-05', toFinish: '2025-09-11', delayDays: 4, withinFloat: false }]);
    expect(dated.unresolved).toEqual([]);
  });
});
