import { answerInterval, periodsBetween, portfolioSCurves, projectSCurve } from './earned-value-curves';
import type { PlannedValueCurve, StatusFigures } from './earned-value-curves';

/*
 * Worked by hand. The baseline's weekly PV curve (ISO weeks end on Sunday): 1,000 by Sunday 8 March 2026, 3,000 by
 * the 15th, 6,000 by the 22nd, 8,000 by the 29th, 10,000 (BAC) by 5 April. Status dates: Friday 6 March (EV 800,
 * AC 900), Wednesday 18 (EV 3,500, AC 4,200) and Friday 20 (EV 4,000, AC 5,000); none in the week to the 15th.
 */
const weekly: PlannedValueCurve = {
  interval: 'week',
  points: [
    { periodEnd: '2026-03-08', pv: 1000 },
    { periodEnd: '2026-03-15', pv: 3000 },
    { periodEnd: '2026-03-22', pv: 6000 },
    { periodEnd: '2026-03-29', pv: 8000 },
    { periodEnd: '2026-04-05', pv: 10000 },
  ],
};
const history: StatusFigures[] = [
  { statusDate: '2026-03-06', ev: 800, ac: 900 },
  { statusDate: '2026-03-18', ev: 3500, ac: 4200 },
  { statusDate: '2026-03-20', ev: 4000, ac: 5000 },
];

describe('S-curve of a project', () => {
  it('gives PV per week, EV and AC of the latest status date in or before each week, none after the last', () => {
    expect(projectSCurve(weekly, history, 'week')).toEqual({
      interval: 'week',
      truncated: false,
      points: [
        { periodEnd: '2026-03-08', pv: 1000, ev: 800, ac: 900, statusDate: '2026-03-06' },
        // No status date this week: the figures of the 6th still stand.
        { periodEnd: '2026-03-15', pv: 3000, ev: 800, ac: 900, statusDate: '2026-03-06' },
        // Two status dates this week: the later one's figures.
        { periodEnd: '2026-03-22', pv: 6000, ev: 4000, ac: 5000, statusDate: '2026-03-20' },
        { periodEnd: '2026-03-29', pv: 8000, ev: null, ac: null, statusDate: null },
        { periodEnd: '2026-04-05', pv: 10000, ev: null, ac: null, statusDate: null },
      ],
    });
  });

  it('regroups by month: the PV of the last Sunday in the month, EV and AC of the last status date in it', () => {
    expect(projectSCurve(weekly, history, 'month').points).toEqual([
      { periodEnd: '2026-03-31', pv: 8000, ev: 4000, ac: 5000, statusDate: '2026-03-20' },
      { periodEnd: '2026-04-30', pv: 10000, ev: null, ac: null, statusDate: null },
    ]);
  });

  it('plans nothing before the baseline, BAC after it, and measures status dates outside it', () => {
    const early = [{ statusDate: '2026-02-27', ev: 0, ac: 50 }, ...history, { statusDate: '2026-04-08', ev: 9000, ac: 9900 }];
    const points = projectSCurve(weekly, early, 'week').points;
    expect(points[0]).toEqual({ periodEnd: '2026-03-01', pv: 0, ev: 0, ac: 50, statusDate: '2026-02-27' });
    expect(points.at(-1)).toEqual({ periodEnd: '2026-04-12', pv: 10000, ev: 9000, ac: 9900, statusDate: '2026-04-08' });
    expect(points).toHaveLength(7);
  });

  it('has no PV without a curve (figures published before v3) and nothing at all without either', () => {
    expect(projectSCurve({ interval: null, points: [] }, history, 'week').points[0]).toEqual({ periodEnd: '2026-03-08', pv: null, ev: 800, ac: 900, statusDate: '2026-03-06' });
    expect(projectSCurve({ interval: null, points: [] }, [], 'week').points).toEqual([]);
  });

  it('answers by month when a curve was published by month, and keeps the latest 1,200 periods', () => {
    expect(answerInterval('week', [weekly, { interval: 'month', points: [] }])).toBe('month');
    expect(answerInterval('week', [weekly])).toBe('week');
    const long = periodsBetween('1900-01-15', '2026-03-18', 'month');
    expect(long).toMatchObject({ truncated: true });
    expect(long.ends).toHaveLength(1200);
    expect(long.ends.at(-1)).toBe('2026-03-31');
    expect(long.ends[0]).toBe('1926-04-30');
    expect(periodsBetween('2026-03-02', '2026-03-31', 'week').ends).toEqual(['2026-03-08', '2026-03-15', '2026-03-22', '2026-03-29', '2026-04-05']);
  });
});

describe('S-curves of a portfolio', () => {
  const b: PlannedValueCurve = { interval: 'week', points: [{ periodEnd: '2026-03-15', pv: 500 }, { periodEnd: '2026-03-22', pv: 1000 }] };
  const c: PlannedValueCurve = { interval: 'week', points: [{ periodEnd: '2026-03-08', pv: 2000 }] };

  it('sums the projects per currency, never across currencies, and counts who is measured in each period', () => {
    const { curves } = portfolioSCurves(
      [
        { currency: 'USD', curve: c, history: [] },
        { currency: 'EUR', curve: weekly, history },
        { currency: 'EUR', curve: b, history: [{ statusDate: '2026-03-13', ev: 400, ac: 300 }] },
      ],
      'week',
    );
    expect(curves.map((x) => [x.currency, x.projects])).toEqual([['EUR', 2], ['USD', 1]]);
    expect(curves[0].points).toEqual([
      { periodEnd: '2026-03-08', pv: 1000, ev: 800, ac: 900, measuredProjects: 1 },
      { periodEnd: '2026-03-15', pv: 3500, ev: 1200, ac: 1200, measuredProjects: 2 },
      { periodEnd: '2026-03-22', pv: 7000, ev: 4000, ac: 5000, measuredProjects: 1 },
      { periodEnd: '2026-03-29', pv: 9000, ev: null, ac: null, measuredProjects: 0 },
      { periodEnd: '2026-04-05', pv: 11000, ev: null, ac: null, measuredProjects: 0 },
    ]);
    expect(curves[1].points.map((p) => p.pv)).toEqual([2000, 2000, 2000, 2000, 2000]);
  });

  it('is empty for a portfolio with nothing measured', () => {
    expect(portfolioSCurves([{ currency: 'EUR', curve: { interval: null, points: [] }, history: [] }], 'month')).toEqual({ curves: [], truncated: false });
  });
});
