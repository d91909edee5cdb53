import fc from 'fast-check';
import { addDays } from '@pm/shared/scheduling';
import { deciderSpecification } from '../testing/decider-specification';
import { scheduleDecider } from '../schedule/schedule.decider';
import type { ScheduleEvent } from '../schedule/schedule.events';
import { added, now, projectId, scheduleOpened } from '../schedule/schedule.spec-fixtures';
import type { OpenedSchedule } from '../schedule/schedule.state';
import { earnedValueReport } from './schedule-earned-value';

const spec = deciderSpecification(scheduleDecider);
const day = ['2025-03-03', '2025-03-04', '2025-03-05', '2025-03-06'];

/*
 * The fence exercise: four sides, one day and $1,000 each, built one after the other; status at the end
 * of day three. Side 1 complete ($1,000 spent), side 2 complete ($1,200), side 3 half done ($600),
 * side 4 not started. Published answer: PV 3,000, EV 2,500, AC 2,800, BAC 4,000, CV −300, CPI .893,
 * SV −500, SPI .833, EAC 4,479, ETC 1,679, VAC −479 — the EAC figures come from CPI rounded to .893;
 * unrounded they are 4,480, 1,680 and −480.
 * Source: "Earned Value Exercise", https://studylib.net/doc/5898152/earned-value-exercise
 */
const fence: ScheduleEvent[] = [
  scheduleOpened,
  added('fence', 'summary', null, 0),
  ...[1, 2, 3, 4].map((n) => added(`side-${n}`, 'task', 'fence', n - 1, { durationDays: 1, costBudget: 1000 })),
  {
    type: 'BaselineSaved',
    data: {
      projectId,
      baselineNumber: 0,
      savedAt: now,
      tasks: [
        { taskId: 'fence', kind: 'summary', start: day[0], finish: day[3], durationDays: 4, workHours: 0, cost: 4000 },
        ...[0, 1, 2, 3].map((i) => ({ taskId: `side-${i + 1}`, kind: 'task' as const, start: day[i], finish: day[i], durationDays: 1, workHours: 0, cost: 1000 })),
      ],
    },
  },
  { type: 'TaskStarted', data: { projectId, taskId: 'side-1', actualStart: day[0] } },
  { type: 'TaskFinished', data: { projectId, taskId: 'side-1', actualFinish: day[0] } },
  { type: 'TaskActualCostRecorded', data: { projectId, taskId: 'side-1', actualCost: 1000, asOf: day[0] } },
  { type: 'TaskStarted', data: { projectId, taskId: 'side-2', actualStart: day[1] } },
  { type: 'TaskFinished', data: { projectId, taskId: 'side-2', actualFinish: day[1] } },
  { type: 'TaskActualCostRecorded', data: { projectId, taskId: 'side-2', actualCost: 1200, asOf: day[1] } },
  { type: 'TaskStarted', data: { projectId, taskId: 'side-3', actualStart: day[2] } },
  { type: 'TaskProgressRecorded', data: { projectId, taskId: 'side-3', percentComplete: 50, remainingDurationDays: 0.5, asOf: day[2] } },
  { type: 'TaskActualCostRecorded', data: { projectId, taskId: 'side-3', actualCost: 600, asOf: day[2] } },
];
const state = spec.given(fence).state as OpenedSchedule;

describe('Earned value of a schedule', () => {
  const report = earnedValueReport(state, 0, day[2]);

  it('reproduces the published fence exercise from the time-phased baseline', () => {
    const p = report.project;
    expect({ pv: p.pv, ev: p.ev, ac: p.ac, bac: p.bac, cv: p.cv, sv: p.sv }).toEqual({ pv: 3000, ev: 2500, ac: 2800, bac: 4000, cv: -300, sv: -500 });
    expect(p.cpi).toBeCloseTo(0.893, 3);
    expect(p.spi).toBeCloseTo(0.833, 3);
    expect(p.eac.atCurrentCpi).toBeCloseTo(4480, 6);
    expect(p.etc.atCurrentCpi).toBeCloseTo(1680, 6);
    expect(p.vac.atCurrentCpi).toBeCloseTo(-480, 6);
  });

  it('rolls the summary up to the same figures and reports each side', () => {
    expect(report.tasks.get('fence')).toEqual(report.project);
    expect(report.tasks.get('side-2')).toMatchObject({ pv: 1000, ev: 1000, ac: 1200, cv: -200 });
    expect(report.tasks.get('side-3')).toMatchObject({ pv: 1000, ev: 500, ac: 600 });
    expect(report.tasks.get('side-4')).toMatchObject({ pv: 0, ev: 0, ac: 0, spi: null, cpi: null });
  });

  it('counts the cost of work added after the baseline, which has no budget to earn', () => {
    const extra = spec.given([
      ...fence,
      added('side-5', 'task', 'fence', 4),
      { type: 'TaskActualCostRecorded', data: { projectId, taskId: 'side-5', actualCost: 300, asOf: day[2] } },
    ]).state as OpenedSchedule;
    expect(earnedValueReport(extra, 0, day[2]).project).toMatchObject({ bac: 4000, pv: 3000, ev: 2500, ac: 3100 });
  });

  it('keeps baselined work that was later removed in the plan', () => {
    const removed = spec.given([...fence, { type: 'TaskRemovedFromWbs', data: { projectId, taskId: 'side-4', parentId: 'fence' } }]).state as OpenedSchedule;
    const r = earnedValueReport(removed, 0, day[3]);
    expect(r.project).toMatchObject({ bac: 4000, pv: 4000, ev: 2500 });
    expect(r.tasks.get('side-4')).toBeUndefined();
  });

  it('rejects an unknown baseline or a malformed status date', () => {
    expect(() => earnedValueReport(state, 1, day[2])).toThrow(expect.objectContaining({ code: 'BASELINE_NOT_FOUND' }));
    expect(() => earnedValueReport(state, 0, '05/03/2025')).toThrow(expect.objectContaining({ code: 'INVALID_DATE' }));
  });

  it('rolls up additively: the project measures are the sums over the work packages (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -5, max: 10 }), (offset) => {
        const statusDate = addDays(day[0], offset);
        const r = earnedValueReport(state, 0, statusDate);
        const sides = [1, 2, 3, 4].map((n) => r.tasks.get(`side-${n}`)!);
        expect(r.project.pv).toBeCloseTo(sides.reduce((s, m) => s + m.pv, 0), 9);
        expect(r.project.ev).toBeCloseTo(sides.reduce((s, m) => s + m.ev, 0), 9);
        expect(r.project.ac).toBe(sides.reduce((s, m) => s + m.ac, 0));
      }),
    );
  });
});
