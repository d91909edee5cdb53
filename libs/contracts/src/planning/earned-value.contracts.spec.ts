import { parseEventData } from '../registry/parse-event-data';
import { projectEarnedValueCalculatedV1, projectEarnedValueCalculatedV2, projectEarnedValueCalculatedV3, projectEarnedValueCalculatedV3Schema } from './earned-value.contracts';

describe('ProjectEarnedValueCalculated', () => {
  it('reads a v2 event as v3 with the figures it never measured null and no curve', () => {
    const { data } = parseEventData('pm.planning.ProjectEarnedValueCalculated', 2, projectEarnedValueCalculatedV2.example);
    expect(data).toEqual({
      ...projectEarnedValueCalculatedV2.example,
      percentComplete: null,
      baselineStart: null,
      baselineFinish: null,
      forecastFinish: null,
      finishSlipDays: null,
      curveInterval: null,
      plannedValueCurve: [],
    });
  });

  it('reads a v1 event through v2 to v3, its AC source kept', () => {
    const { data } = parseEventData('pm.planning.ProjectEarnedValueCalculated', 1, projectEarnedValueCalculatedV1.example);
    expect(data).toMatchObject({ actualCostSource: 'recorded-on-tasks', percentComplete: null, plannedValueCurve: [] });
  });

  it('refuses a percent complete above 100, a curve point without a date and a curve longer than 1200 points', () => {
    const v3 = projectEarnedValueCalculatedV3.example;
    expect(projectEarnedValueCalculatedV3Schema.safeParse({ ...v3, percentComplete: 100.5 }).success).toBe(false);
    expect(projectEarnedValueCalculatedV3Schema.safeParse({ ...v3, plannedValueCurve: [{ periodEnd: '2025-02-30', pv: 1 }] }).success).toBe(false);
    const long = Array.from({ length: 1201 }, () => ({ periodEnd: '2025-02-23', pv: 1 }));
    expect(projectEarnedValueCalculatedV3Schema.safeParse({ ...v3, plannedValueCurve: long }).success).toBe(false);
    expect(projectEarnedValueCalculatedV3Schema.safeParse(v3).success).toBe(true);
  });
});
