import type { ProjectionEvent } from '@pm/platform/projections';
import { activityOf, summaryOf } from './activity-of';

const projectId = '6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f';
const event = (type: string, data: unknown): ProjectionEvent => ({
  eventId: '0b7f9f0e-1c2d-4e3f-8a9b-0c1d2e3f4a5b',
  type,
  schemaVersion: 1,
  tenantId: 't',
  streamId: 's',
  streamVersion: 1,
  occurredAt: '2027-01-01T00:00:00.000Z',
  recordedAt: '2027-01-01T00:00:00.000Z',
  data,
});

describe('A line of the activity feed', () => {
  it('says who changed what on which thing of the project', () => {
    expect(activityOf(event('pm.planning.TaskScheduleChanged', { projectId, taskId: 'T-1' }), 'user:pm-1')).toEqual({
      eventId: '0b7f9f0e-1c2d-4e3f-8a9b-0c1d2e3f4a5b',
      projectId,
      eventType: 'pm.planning.TaskScheduleChanged',
      actor: 'user:pm-1',
      subject: { kind: 'task', id: 'T-1' },
      summary: 'Task schedule changed',
      occurredAt: '2027-01-01T00:00:00.000Z',
    });
    expect(activityOf(event('pm.risk.RiskIdentified', { projectId, riskId: 'r' }), undefined)).toMatchObject({ actor: 'unknown', subject: { kind: 'risk', id: 'r' } });
    expect(activityOf(event('pm.planning.ProjectCreated', { projectId }), 'user:a')?.subject).toEqual({ kind: 'project', id: projectId });
  });

  it('has nothing for events without a project, or with a project id that is not one', () => {
    expect(activityOf(event('pm.resource.ResourceOverallocated', { resourceId: 'r' }), 'user:a')).toBeNull();
    expect(activityOf(event('pm.planning.TaskRenamed', { projectId: 'constructor' }), 'user:a')).toBeNull();
    expect(activityOf(event('pm.planning.TaskRenamed', null), 'user:a')).toBeNull();
    // Inherited names are not fields of the event.
    expect(activityOf(event('pm.planning.TaskRenamed', Object.create({ projectId })), 'user:a')).toBeNull();
  });

  it('reads an event type as words', () => {
    expect(summaryOf('pm.planning.PhaseGateRequested')).toBe('Phase gate requested');
  });
});
