import { projectScheduleCalculatedV1, taskScheduleChangedV1 } from './schedule-calculation.contracts';

const issuePaths = (schema: { safeParse(data: unknown): { success: boolean; error?: { issues: Array<{ path: PropertyKey[] }> } } }, data: unknown) => {
  const result = schema.safeParse(data);
  return result.success ? [] : [...new Set(result.error?.issues.map((i) => i.path.join('.')))];
};

describe('TaskScheduleChanged v1 (consumed by resource and risk)', () => {
  const valid = taskScheduleChangedV1.example;

  it('keeps the fields the resource service reads: ids, start/finish dates, duration in working days', () => {
    expect(Object.keys(taskScheduleChangedV1.schema.parse(valid))).toEqual(
      expect.arrayContaining(['projectId', 'taskId', 'start', 'finish', 'durationDays']),
    );
  });

  it.each([
    ['a finish before the start', { start: '2025-09-10', finish: '2025-09-09' }, 'finish'],
    ['a fractional duration', { durationDays: 1.5 }, 'durationDays'],
    ['a negative free float', { freeFloat: -1 }, 'freeFloat'],
    ['a summary task (summaries roll up, they are not scheduled)', { kind: 'summary' }, 'kind'],
    ['a date-time instead of a date', { start: '2025-09-08T08:00:00Z' }, 'start'],
    ['an unknown status', { status: 'late' }, 'status'],
  ])('rejects %s', (_case, change, path) => {
    expect(issuePaths(taskScheduleChangedV1.schema, { ...valid, ...change })).toEqual([path]);
  });

  it.each([
    ['a negative total float (a constraint cannot be met)', { totalFloat: -3, critical: true }],
    ['a milestone with start = finish and no duration', { kind: 'milestone', start: '2025-09-19', finish: '2025-09-19', durationDays: 0 }],
    ['a first calculation without previous dates', { previousStart: null, previousFinish: null }],
    ['a caller-chosen task id that is not a UUID', { taskId: 't42' }],
  ])('accepts %s', (_case, change) => {
    expect(issuePaths(taskScheduleChangedV1.schema, { ...valid, ...change })).toEqual([]);
  });

  it('rejects a field v1 does not have (a new field is a new version)', () => {
    expect(issuePaths(taskScheduleChangedV1.schema, { ...valid, assignee: 'x' })).toEqual(['']);
  });
});

describe('ProjectScheduleCalculated v1', () => {
  it('accepts an empty plan and rejects a finish before the start', () => {
    const empty = { ...projectScheduleCalculatedV1.example, projectFinish: '2025-09-01', durationDays: 0, taskCount: 0, tasksChanged: 0, criticalPath: [], criticalPaths: [] };
    expect(issuePaths(projectScheduleCalculatedV1.schema, empty)).toEqual([]);
    expect(issuePaths(projectScheduleCalculatedV1.schema, { ...empty, projectFinish: '2025-08-29' })).toEqual(['projectFinish']);
  });
});
