import { automaticRiskRaisedV1, phaseGateRequestedV1, projectCreatedV1, resourceOverallocatedV1, riskAssessedV1, taskScheduleChangedV1 } from '@pm/contracts';
import { initialTenantNotificationSettings, routeEvent } from '@pm/notification/domain';
import { classifyEvent } from './event-classifier';
import type { SourceEvent } from './event-classifier';
import { directoryFactsOf } from './directory-facts';

const EVENT_ID = '9e2a5c3b-7d4f-4b6c-8d8e-2f3a4b5c6d7e';
const of = (type: string, data: unknown): SourceEvent => ({ eventId: EVENT_ID, type, schemaVersion: 1, occurredAt: '2026-03-03T10:00:00.000Z', actor: 'user:pm-1', data });
const task = taskScheduleChangedV1.example;

describe('classifyEvent', () => {
  describe('a task the critical-path calculation moved', () => {
    it('is a critical-path slip, high, linking the task, when a critical task now finishes later', () => {
      const event = classifyEvent(of('pm.planning.TaskScheduleChanged', { ...task, critical: true, previousFinish: '2025-09-12', finish: '2025-09-19' }));
      expect(event).toMatchObject({ eventId: EVENT_ID, type: 'pm.planning.TaskScheduleChanged', severity: 'high', projectId: task.projectId, subject: { kind: 'task', id: task.taskId, projectId: task.projectId } });
      expect(event?.title).toContain('slipped from 2025-09-12 to 2025-09-19');
    });

    it('is nothing when the task is not critical, finishes earlier, or is scheduled for the first time', () => {
      expect(classifyEvent(of('pm.planning.TaskScheduleChanged', { ...task, critical: false }))).toBeNull();
      expect(classifyEvent(of('pm.planning.TaskScheduleChanged', { ...task, critical: true, previousFinish: '2025-09-25' }))).toBeNull();
      expect(classifyEvent(of('pm.planning.TaskScheduleChanged', { ...task, critical: true, previousStart: null, previousFinish: null }))).toBeNull();
    });
  });

  it('rates a risk assessed high or critical at its rating, and ignores lower ratings', () => {
    const assessed = riskAssessedV1.example;
    expect(classifyEvent(of('pm.risk.RiskAssessed', { ...assessed, rating: 'critical' }))).toMatchObject({ severity: 'critical', subject: { kind: 'risk', id: assessed.riskId } });
    expect(classifyEvent(of('pm.risk.RiskAssessed', { ...assessed, rating: 'medium' }))).toBeNull();
  });

  it('tells of automatic risks, over-allocations (tenant-wide) and phase gates', () => {
    expect(classifyEvent(of('pm.risk.AutomaticRiskRaised', automaticRiskRaisedV1.example))).toMatchObject({ severity: 'high', subject: { kind: 'risk' } });
    expect(classifyEvent(of('pm.resource.ResourceOverallocated', resourceOverallocatedV1.example))).toMatchObject({ projectId: null, subject: { kind: 'resource', projectId: null } });
    expect(classifyEvent(of('pm.planning.PhaseGateRequested', phaseGateRequestedV1.example))).toMatchObject({ severity: 'high', subject: { kind: 'phase-gate', id: 'gate-1' } });
  });

  it('ignores event types it does not know, and refuses data that breaks the contract', () => {
    expect(classifyEvent(of('pm.planning.TaskRenamed', {}))).toBeNull();
    expect(() => classifyEvent(of('pm.risk.RiskAssessed', { rating: 'critical' }))).toThrow();
  });
});

describe('directoryFactsOf', () => {
  it('names a new project’s manager, and a risk’s owner by their sub', () => {
    const project = projectCreatedV1.example;
    expect(directoryFactsOf(of('pm.planning.ProjectCreated', project))).toEqual([{ userId: project.managerId, role: 'project-manager', projectId: project.projectId, source: 'planning' }]);
    expect(directoryFactsOf(of('pm.planning.ProjectCreated', { ...project, managerId: null }))).toEqual([]);
  });
});

describe('classified events and the role defaults', () => {
  it('route an automatic risk and a critical-path slip to the manager of the project, and nobody else', () => {
    const projectId = automaticRiskRaisedV1.example.projectId;
    const people = [
      { userId: 'pm-1', roles: new Set(['project-manager'] as const), ownProjects: new Set([projectId]) },
      { userId: 'pm-2', roles: new Set(['project-manager'] as const), ownProjects: new Set<string>() },
      { userId: 'tm-1', roles: new Set(['team-member'] as const), ownProjects: new Set<string>() },
    ];
    const events = [
      classifyEvent(of('pm.risk.AutomaticRiskRaised', { ...automaticRiskRaisedV1.example, projectId })),
      classifyEvent(of('pm.planning.TaskScheduleChanged', { ...task, projectId, critical: true })),
    ];
    for (const event of events) {
      const routes = routeEvent({ event: { ...event!, actor: 'service:x' }, people, settings: initialTenantNotificationSettings(), preferences: new Map(), now: '2026-03-03T10:00:01.000Z' });
      expect(new Set(routes.map((r) => r.recipientId))).toEqual(new Set(['pm-1']));
      expect(routes.map((r) => r.channel)).toContain('in-app');
    }
  });
});
