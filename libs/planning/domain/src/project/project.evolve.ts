import { ignoreUnknownEvent } from '@pm/shared/ddd';
import type { ProjectEvent } from './project.events';
import type { ExistingProject, ProjectRecord, ProjectState } from './project.state';

/** Applies `change` to the record of an existing project; events for a missing project are ignored. */
function withRecord(state: ProjectState, change: (record: ProjectRecord) => ProjectRecord): ProjectState {
  if (state.status === 'not-created') return state;
  return { ...state, project: change(state.project) } as ExistingProject;
}

function decideGate(record: ProjectRecord, gateId: string, decision: 'approved' | 'rejected'): ProjectRecord {
  const gate = record.gates.get(gateId);
  if (!gate) return record;
  return {
    ...record,
    gates: new Map(record.gates).set(gateId, { ...gate, decision }),
    pendingGateId: record.pendingGateId === gateId ? null : record.pendingGateId,
  };
}

export function evolveProject(state: ProjectState, event: ProjectEvent): ProjectState {
  switch (event.type) {
    case 'ProjectCreated': {
      const { status, ...profile } = event.data;
      return { status, project: { profile, objectives: new Map(), scope: null, statusDate: null, gates: new Map(), pendingGateId: null } };
    }
    case 'ProjectRenamed':
      return withRecord(state, (r) => ({ ...r, profile: { ...r.profile, name: event.data.name } }));
    case 'PhaseGateRequested': {
      const { gateId, fromPhase, toPhase } = event.data;
      return withRecord(state, (r) => ({
        ...r,
        gates: new Map(r.gates).set(gateId, { gateId, fromPhase, toPhase, decision: 'pending' }),
        pendingGateId: gateId,
      }));
    }
    case 'PhaseGateApproved':
      return withRecord(state, (r) => decideGate(r, event.data.gateId, 'approved'));
    case 'PhaseGateRejected':
      return withRecord(state, (r) => decideGate(r, event.data.gateId, 'rejected'));
    case 'ProjectPhaseAdvanced':
      return state.status === 'not-created' ? state : { status: event.data.toPhase, project: state.project };
    case 'ProjectClosed':
      return state.status === 'not-created' ? state : { status: 'closed', project: state.project, closedAt: event.data.closedAt };
    case 'ProjectPutOnHold':
      return state.status === 'not-created' ? state : { status: 'on-hold', project: state.project, resumeTo: event.data.previousStatus };
    case 'ProjectResumed':
      return state.status === 'not-created' ? state : { status: event.data.resumedTo, project: state.project };
    case 'ProjectCancelled':
      return state.status === 'not-created'
        ? state
        : { status: 'cancelled', project: state.project, cancelledAt: event.data.cancelledAt, reason: event.data.reason };
    case 'ObjectiveDefined': {
      const { objectiveId, description, kpis } = event.data;
      const byId = new Map(kpis.map((k) => [k.kpiId, { ...k, actual: null, measuredOn: null }]));
      return withRecord(state, (r) => ({ ...r, objectives: new Map(r.objectives).set(objectiveId, { objectiveId, description, kpis: byId }) }));
    }
    case 'KpiActualRecorded': {
      const { objectiveId, kpiId, actual, measuredOn } = event.data;
      return withRecord(state, (r) => {
        const objective = r.objectives.get(objectiveId);
        const kpi = objective?.kpis.get(kpiId);
        if (!objective || !kpi) return r;
        const kpis = new Map(objective.kpis).set(kpiId, { ...kpi, actual, measuredOn });
        return { ...r, objectives: new Map(r.objectives).set(objectiveId, { ...objective, kpis }) };
      });
    }
    case 'ScopeStatementDefined': {
      const { statement, inScope, outOfScope, assumptions, constraints } = event.data;
      return withRecord(state, (r) => ({ ...r, scope: { statement, inScope, outOfScope, assumptions, constraints } }));
    }
    case 'ProjectStatusDateSet':
      return withRecord(state, (r) => ({ ...r, statusDate: event.data.statusDate }));
    default:
      return ignoreUnknownEvent(state, event);
  }
}
