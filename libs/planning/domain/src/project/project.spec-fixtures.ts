import { metadataAt } from '../testing/decider-specification';
import type { ProjectCreated, ProjectEvent } from './project.events';
import { toPhaseGateId, toProjectId } from './project.ids';

export const projectId = toProjectId('p-100');
export const now = '2025-03-03T09:00:00.000Z';
export const meta = metadataAt(now);
export const sponsor = 'user:sam';
export const pmoAdmin = { id: 'user:petra', roles: ['pmo-admin'] };
export const theSponsor = { id: sponsor, roles: ['viewer'] };
export const aManager = { id: 'user:mia', roles: ['project-manager'] };

export const projectCreated = (overrides: Partial<ProjectCreated['data']> = {}): ProjectCreated => ({
  type: 'ProjectCreated',
  data: {
    projectId,
    name: 'ERP roll-out',
    code: null,
    description: null,
    startDate: '2025-03-03',
    targetFinishDate: '2025-12-19',
    status: 'initiating',
    priority: 'medium',
    sponsor,
    managerId: 'user:mia',
    currency: 'EUR',
    calendarId: null,
    createdAt: '2025-03-01T08:00:00.000Z',
    ...overrides,
  },
});

type Phase = 'planning' | 'executing' | 'closing';
const ORDER = ['initiating', 'planning', 'executing', 'closing'] as const;

/** History of a project that passed its gates up to `phase`. */
export function projectIn(phase: 'initiating' | Phase): ProjectEvent[] {
  const events: ProjectEvent[] = [projectCreated()];
  for (let i = 0; ORDER[i] !== phase; i++) {
    const fromPhase = ORDER[i];
    const toPhase = ORDER[i + 1] as Phase;
    const gateId = toPhaseGateId(`gate-${toPhase}`);
    const at = '2025-03-02T10:00:00.000Z';
    events.push(
      { type: 'PhaseGateRequested', data: { projectId, gateId, fromPhase, toPhase, requestedBy: 'user:mia', requestedAt: at, note: null } },
      { type: 'PhaseGateApproved', data: { projectId, gateId, fromPhase, toPhase, approvedBy: pmoAdmin.id, approvedAt: at, comment: null } },
      { type: 'ProjectPhaseAdvanced', data: { projectId, fromPhase, toPhase, gateId, advancedAt: at } },
    );
  }
  return events;
}
