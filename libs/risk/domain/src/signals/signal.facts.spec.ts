import { automaticRiskId, signalKey } from './automatic-risk-id';
import { milestoneSubject, projectSubject } from './signal-evidence';
import { earnedValueFact, mitigationActionOverdueFact, mitigationActionSettledFact, overallocationFact, overallocationResolvedFact, taskCriticalityFact } from './signal.facts';
import { figures, projectId, resourceId, tenantId } from './signal.spec-fixtures';

const otherProject = '1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9';

describe('Facts from the contract events', () => {
  it('reads the earned value event as it is, naming the event in the source', () => {
    const fact = earnedValueFact({ id: 'e-1', type: 'pm.planning.ProjectEarnedValueCalculated', data: figures() });
    expect(fact).toEqual({ kind: 'earned-value', source: { eventId: 'e-1', eventType: 'pm.planning.ProjectEarnedValueCalculated' }, figures: figures() });
  });

  it("keeps the critical tasks of an over-allocation, per project, summing each task's periods", () => {
    const critical = new Map([
      ['build', [{ projectId, taskId: 'build' }, { projectId: otherProject, taskId: 'build' }]],
      ['constructor', [{ projectId, taskId: 'constructor' }]],
    ]);
    const fact = overallocationFact(
      {
        id: 'ro-1',
        type: 'pm.resource.ResourceOverallocated',
        data: {
          resourceId,
          periods: [
            { from: '2026-03-09', to: '2026-03-13', minutesOver: 120, taskIds: ['build', 'docs'] },
            { from: '2026-03-16', to: '2026-03-20', minutesOver: 60, taskIds: ['build', 'constructor'] },
          ],
          totalMinutesOver: 180,
          detectedAt: '2026-03-03T09:00:00.000Z',
        },
      },
      (taskId) => critical.get(taskId) ?? [],
    );
    expect(fact.criticalTasks).toEqual([
      { projectId, taskId: 'build', minutesOver: 180, from: '2026-03-09', to: '2026-03-20' },
      { projectId: otherProject, taskId: 'build', minutesOver: 180, from: '2026-03-09', to: '2026-03-20' },
      { projectId, taskId: 'constructor', minutesOver: 60, from: '2026-03-16', to: '2026-03-20' },
    ]);
  });

  it('reads a resolution with nothing left over-allocated as an empty list, and waits for the next list otherwise', () => {
    const resolved = (stillOverallocated: boolean) => ({
      id: 'or-1',
      type: 'pm.resource.OverallocationResolved',
      data: { resourceId, resolvedPeriods: [{ from: '2026-03-09', to: '2026-03-13', minutesOver: 120, taskIds: ['build'] }], stillOverallocated, resolvedAt: '2026-03-04T09:00:00.000Z' },
    });
    expect(overallocationResolvedFact(resolved(false))).toMatchObject({ kind: 'resource-allocation', resourceId, criticalTasks: [] });
    expect(overallocationResolvedFact(resolved(true))).toBeNull();
  });

  it('reads a task that left the critical path, and nothing from one still on it', () => {
    const changed = (critical: boolean) => ({
      id: 'tsc-1',
      type: 'pm.planning.TaskScheduleChanged',
      data: { projectId, taskId: 'build', name: 'Build', kind: 'task' as const, start: '2026-03-09', finish: '2026-03-13', durationDays: 5, earlyStart: '2026-03-09', earlyFinish: '2026-03-13', lateStart: '2026-03-11', lateFinish: '2026-03-17', totalFloat: critical ? 0 : 2, freeFloat: 0, critical, status: 'not-started' as const, previousStart: null, previousFinish: null },
    });
    expect(taskCriticalityFact(changed(false))).toEqual({ kind: 'task-no-longer-critical', source: { eventId: 'tsc-1', eventType: 'pm.planning.TaskScheduleChanged' }, projectId, taskId: 'build' });
    expect(taskCriticalityFact(changed(true))).toBeNull();
  });

  it('takes the overdue and the completed mitigation action', () => {
    const riskId = '3a7c1e5b-9d2f-4b6a-8c1e-2f3a4b5c6d7e';
    expect(mitigationActionOverdueFact({ eventId: 'd-1', eventType: 'pm.risk.MitigationActionOverdue', projectId, riskId, actionId: 'rfq', dueOn: '2026-03-01', asOf: '2026-03-02' })).toMatchObject({
      kind: 'mitigation-action-overdue',
      dueOn: '2026-03-01',
      asOf: '2026-03-02',
    });
    const completed = mitigationActionSettledFact({
      id: 'c-1',
      type: 'pm.risk.MitigationActionCompleted',
      data: { riskId, projectId, actionId: 'rfq', note: null, completedBy: 'user:o-1', completedAt: '2026-03-02T09:00:00.000Z' },
    });
    expect(completed).toEqual({ kind: 'mitigation-action-settled', source: { eventId: 'c-1', eventType: 'pm.risk.MitigationActionCompleted' }, projectId, riskId, actionId: 'rfq' });
  });
});

describe('The identity of an automatic risk', () => {
  const subject = projectSubject(projectId);

  it('is a version-8 UUID derived from tenant, rule, subject and generation', () => {
    const id = automaticRiskId(tenantId, 'spi-below', subject, 0);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(automaticRiskId(tenantId, 'spi-below', subject, 0)).toBe(id);
    const others = [
      automaticRiskId('tenant-2', 'spi-below', subject, 0),
      automaticRiskId(tenantId, 'cpi-below', subject, 0),
      automaticRiskId(tenantId, 'spi-below', projectSubject(otherProject), 0),
      automaticRiskId(tenantId, 'spi-below', subject, 1),
    ];
    expect(new Set([id, ...others]).size).toBe(5);
  });

  it('keeps client ids as data: a task named __proto__ is a subject like any other', () => {
    expect(signalKey('milestone-slip', milestoneSubject(projectId, '__proto__'))).not.toBe(signalKey('milestone-slip', milestoneSubject(projectId, 'constructor')));
  });
});
