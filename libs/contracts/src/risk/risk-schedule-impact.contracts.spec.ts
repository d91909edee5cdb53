import { riskScheduleImpactDefinedV1, riskScheduleImpactDefinedV1Schema } from './risk-schedule-impact.contracts';

const paths = (result: { success: boolean; error?: { issues: Array<{ path: PropertyKey[] }> } }) =>
  result.success ? [] : [...new Set(result.error?.issues.map((i) => i.path.join('.')))];
const example = riskScheduleImpactDefinedV1.example;
const task = (taskId: string, min = 1, mostLikely = 2, max = 3) => ({ taskId, delayDays: { min, mostLikely, max } });

describe('RiskScheduleImpactDefined v1', () => {
  it('takes its example, an empty link (cleared) and client ids that are prototype keys', () => {
    expect(riskScheduleImpactDefinedV1Schema.safeParse(example).success).toBe(true);
    expect(riskScheduleImpactDefinedV1Schema.safeParse({ ...example, tasks: [] }).success).toBe(true);
    expect(riskScheduleImpactDefinedV1Schema.safeParse({ ...example, tasks: [task('constructor'), task('__proto__')] }).success).toBe(true);
  });

  it('refuses a delay out of order or out of range, a task named twice, more than 50 tasks and unknown fields', () => {
    expect(paths(riskScheduleImpactDefinedV1Schema.safeParse({ ...example, tasks: [task('a', 3, 2, 4)] }))).toEqual(['tasks.0.delayDays']);
    expect(paths(riskScheduleImpactDefinedV1Schema.safeParse({ ...example, tasks: [task('a', 0, 0, 0)] }))).toEqual(['tasks.0.delayDays.max']);
    expect(paths(riskScheduleImpactDefinedV1Schema.safeParse({ ...example, tasks: [task('a', 0, 1, 1001)] }))).toEqual(['tasks.0.delayDays.max']);
    expect(paths(riskScheduleImpactDefinedV1Schema.safeParse({ ...example, tasks: [task('a'), task('a')] }))).toEqual(['tasks']);
    expect(paths(riskScheduleImpactDefinedV1Schema.safeParse({ ...example, tasks: Array.from({ length: 51 }, (_, i) => task(`t${i}`)) }))).toEqual(['tasks']);
    expect(paths(riskScheduleImpactDefinedV1Schema.safeParse({ ...example, tasks: [{ ...task('a'), extra: 1 }] }))).toEqual(['tasks.0']);
  });
});
