import { deciderSpecification } from '../testing/decider-specification';
import { scheduleDecider } from '../schedule/schedule.decider';
import type { ScheduleEvent } from '../schedule/schedule.events';
import { added, baseline0, baselineWbs, projectId } from '../schedule/schedule.spec-fixtures';
import type { OpenedSchedule } from '../schedule/schedule.state';
import { actualCostsAt } from './reported-actual-cost';
import { earnedValueReport } from './schedule-earned-value';

const spec = deciderSpecification(scheduleDecider);
/** build (summary) > design 4 000 (03-03…03-07), code 16 000 (03-10…03-21), release; design has 1 500 recorded on the task. */
const given: ScheduleEvent[] = [
  ...baselineWbs,
  baseline0,
  added('extra', 'task', null, 1, { durationDays: 2 }),
  { type: 'TaskActualCostRecorded', data: { projectId, taskId: 'design', actualCost: 1500, asOf: '2025-03-05' } },
  { type: 'TaskActualCostRecorded', data: { projectId, taskId: 'code', actualCost: 900, asOf: '2025-03-11' } },
];
const state = spec.given(given).state as OpenedSchedule;

describe('Actual cost reported by the resource service', () => {
  const eur = (taskId: string | null, date: string, amount: number) => ({ taskId, date, amountMinor: Math.round(amount * 100), minorPerUnit: 100 });
  const reported = [
    eur('design', '2025-03-04', 1000),
    eur('design', '2025-03-12', 700),
    eur(null, '2025-03-06', 250),
    eur('build', '2025-03-06', 40),
    eur('ghost', '2025-03-06', 10),
  ];

  it('adds money exactly: ten and twenty cents make thirty, not 0.30000000000000004', () => {
    const cents = [eur('design', '2025-03-04', 0.1), eur('design', '2025-03-04', 0.2), eur(null, '2025-03-04', 0.1), eur(null, '2025-03-04', 0.2)];
    const at = actualCostsAt(state, cents, '2025-03-07');
    expect(at.byTask.get('design')).toBe(0.3);
    expect(at.projectLevel).toBe(0.3);
  });

  it('replaces the figure recorded on a task it reported for, counting only what is dated up to the status date', () => {
    const at = actualCostsAt(state, reported, '2025-03-07');
    expect(at.byTask).toEqual(new Map([['design', 1000]]));
    // No task, a summary and an unknown id are project-level.
    expect(at.projectLevel).toBe(300);
  });

  it('keeps a task it reported for on the resource figure even before its first cost is dated', () => {
    expect(actualCostsAt(state, reported, '2025-03-03').byTask).toEqual(new Map([['design', 0]]));
  });

  it('feeds EVM: tasks it never reported keep the recorded AC; project AC adds the project-level costs', () => {
    const report = earnedValueReport(state, 0, '2025-03-14', reported);
    expect(report.tasks.get('design')!.ac).toBe(1700);
    expect(report.tasks.get('code')!.ac).toBe(900);
    expect(report.tasks.get('build')!.ac).toBe(2600);
    expect(report.project.ac).toBe(1700 + 900 + 300);
    expect(report.project.cpi).toBeCloseTo(report.project.ev / 2900);
  });

  it('is the task figures alone when nothing was reported', () => {
    const report = earnedValueReport(state, 0, '2025-03-14');
    expect(report.tasks.get('design')!.ac).toBe(1500);
    expect(report.project.ac).toBe(2400);
  });
});
