import { milestoneTrend } from './milestone-trend';

const m = (taskId: string, baselineFinish: string, forecastFinish: string, slipDays: number, achieved = false) => ({ taskId, name: `Milestone ${taskId}`, baselineFinish, forecastFinish, slipDays, achieved });

describe('Milestone trend', () => {
  it("gives each milestone's forecast at each status date, by baseline finish, client ids kept as data", () => {
    const trend = milestoneTrend([
      { statusDate: '2026-03-06', milestones: [m('__proto__', '2026-04-30', '2026-04-30', 0), m('design', '2026-03-20', '2026-03-23', 1)] },
      { statusDate: '2026-03-13', milestones: [m('design', '2026-03-20', '2026-03-25', 3), m('__proto__', '2026-04-30', '2026-05-04', 2)] },
      { statusDate: '2026-03-27', milestones: [m('design', '2026-03-20', '2026-03-25', 3, true), m('constructor', '2026-04-30', '2026-04-30', 0)] },
    ]);
    expect(trend.statusDates).toEqual(['2026-03-06', '2026-03-13', '2026-03-27']);
    expect(trend.milestones.map((x) => x.taskId)).toEqual(['design', '__proto__', 'constructor']);
    expect(trend.milestones[0].forecasts).toEqual([
      { statusDate: '2026-03-06', forecastFinish: '2026-03-23', slipDays: 1, achieved: false },
      { statusDate: '2026-03-13', forecastFinish: '2026-03-25', slipDays: 3, achieved: false },
      { statusDate: '2026-03-27', forecastFinish: '2026-03-25', slipDays: 3, achieved: true },
    ]);
    // A milestone no longer among the published ones keeps the points it had.
    expect(trend.milestones[1].forecasts.map((f) => f.forecastFinish)).toEqual(['2026-04-30', '2026-05-04']);
    expect(Object.prototype).not.toHaveProperty('forecasts');
  });
});
