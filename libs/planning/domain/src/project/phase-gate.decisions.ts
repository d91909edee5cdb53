import { conflict, invalid, notFound, blankToNull } from '@pm/shared/ddd';
import type { ApprovePhaseGate, RejectPhaseGate, RequestPhaseGate } from './project.commands';
import type { PhaseGateApproved, PhaseGateRejected, PhaseGateRequested, ProjectClosed, ProjectPhaseAdvanced } from './project.events';
import {
  gateDeciderMustBePmoAdminOrSponsor,
  phaseAfter,
  projectMustBeOpen,
  projectMustExist,
  projectMustNotBeOnHold,
} from './project.rules';
import type { ExistingProject, PhaseGate, ProjectState } from './project.state';

export function requestPhaseGate(command: RequestPhaseGate, state: ProjectState): PhaseGateRequested[] {
  projectMustExist(state);
  const { gateId } = command.data;
  const known = state.project.gates.get(gateId);
  if (known?.decision === 'pending') return [];
  if (known) throw conflict('PHASE_GATE_ID_IN_USE', `Gate ${gateId} was already decided`, { gateId, decision: known.decision });
  projectMustBeOpen(state);
  projectMustNotBeOnHold(state);
  const pending = state.project.pendingGateId;
  if (pending !== null) {
    throw conflict('PHASE_GATE_ALREADY_PENDING', `Gate ${pending} is still waiting for a decision`, { pendingGateId: pending });
  }
  const { projectId } = state.project.profile;
  return [
    {
      type: 'PhaseGateRequested',
      data: {
        projectId,
        gateId,
        fromPhase: state.status,
        toPhase: phaseAfter(state.status),
        requestedBy: command.metadata.actor,
        requestedAt: command.metadata.now,
        note: blankToNull(command.data.note),
      },
    },
  ];
}

function gateMustExist(state: ExistingProject, gateId: string): PhaseGate {
  const gate = state.project.gates.get(gateId);
  if (!gate) throw notFound('PHASE_GATE_NOT_FOUND', `Gate ${gateId} was never requested`, { gateId });
  return gate;
}

function gateMustBePending(gate: PhaseGate): void {
  if (gate.decision !== 'pending') {
    throw conflict('PHASE_GATE_ALREADY_DECIDED', `Gate ${gate.gateId} was already ${gate.decision}`, { gateId: gate.gateId, decision: gate.decision });
  }
}

/** Approval is the decision to move on, so the phase advances (or the project closes) in the same commit. */
export function approvePhaseGate(
  command: ApprovePhaseGate,
  state: ProjectState,
): [PhaseGateApproved, ProjectPhaseAdvanced | ProjectClosed] | [] {
  projectMustExist(state);
  const gate = gateMustExist(state, command.data.gateId);
  if (gate.decision === 'approved') return [];
  gateMustBePending(gate);
  projectMustBeOpen(state);
  projectMustNotBeOnHold(state);
  gateDeciderMustBePmoAdminOrSponsor(command.data.approver, state.project.profile.sponsor);
  const { projectId } = state.project.profile;
  const { now } = command.metadata;
  const { gateId, fromPhase, toPhase } = gate;
  const approved: PhaseGateApproved = {
    type: 'PhaseGateApproved',
    data: { projectId, gateId, fromPhase, toPhase, approvedBy: command.data.approver.id, approvedAt: now, comment: blankToNull(command.data.comment) },
  };
  if (toPhase === 'closed') return [approved, { type: 'ProjectClosed', data: { projectId, gateId, closedAt: now } }];
  return [approved, { type: 'ProjectPhaseAdvanced', data: { projectId, fromPhase, toPhase, gateId, advancedAt: now } }];
}

export function rejectPhaseGate(command: RejectPhaseGate, state: ProjectState): PhaseGateRejected[] {
  projectMustExist(state);
  const gate = gateMustExist(state, command.data.gateId);
  if (gate.decision === 'rejected') return [];
  gateMustBePending(gate);
  projectMustBeOpen(state);
  gateDeciderMustBePmoAdminOrSponsor(command.data.approver, state.project.profile.sponsor);
  const reason = blankToNull(command.data.reason);
  if (reason === null) throw invalid('PHASE_GATE_REJECTION_REASON_REQUIRED', 'A rejected gate needs a reason the team can act on');
  const { projectId } = state.project.profile;
  const { gateId, fromPhase, toPhase } = gate;
  return [
    {
      type: 'PhaseGateRejected',
      data: { projectId, gateId, fromPhase, toPhase, rejectedBy: command.data.approver.id, rejectedAt: command.metadata.now, reason },
    },
  ];
}
