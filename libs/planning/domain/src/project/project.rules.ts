import type { Approver } from '../shared/command-metadata';
import { hasRole } from '../shared/command-metadata';
import { conflict, forbidden, invalid, notFound, isBlank } from '@pm/shared/ddd';
import { isIsoDate } from '@pm/shared/scheduling';
import type { PhaseGateRequested, ProjectPhase } from './project.events';
import type { ExistingProject, NoProject, OpenProject, ProjectInPhase, ProjectState } from './project.state';

export function projectMustNotExist(state: ProjectState): asserts state is NoProject {
  if (state.status !== 'not-created') {
    throw conflict('PROJECT_ALREADY_EXISTS', `Project ${state.project.profile.projectId} already exists`, {
      projectId: state.project.profile.projectId,
    });
  }
}

export function projectMustExist(state: ProjectState): asserts state is ExistingProject {
  if (state.status === 'not-created') throw notFound('PROJECT_NOT_FOUND', 'Project does not exist');
}

/** Closed and cancelled projects are history: nothing about their plan may change any more. */
export function projectMustBeOpen(state: ExistingProject): asserts state is OpenProject {
  const projectId = state.project.profile.projectId;
  if (state.status === 'closed') throw conflict('PROJECT_CLOSED', `Project ${projectId} is closed`, { projectId });
  if (state.status === 'cancelled') throw conflict('PROJECT_CANCELLED', `Project ${projectId} is cancelled`, { projectId });
}

/** A project on hold makes no phase decisions until it is resumed. */
export function projectMustNotBeOnHold(state: OpenProject): asserts state is ProjectInPhase {
  if (state.status === 'on-hold') {
    throw conflict('PROJECT_ON_HOLD', `Project ${state.project.profile.projectId} is on hold`, { projectId: state.project.profile.projectId });
  }
}

export function projectNameMustNotBeBlank(name: string | undefined): void {
  if (isBlank(name)) throw invalid('PROJECT_NAME_REQUIRED', 'A project needs a name');
}

/** The limits of the published contract (pm.planning.ProjectCreated v1, ProjectRenamed v2): a decided event must always publish. */
export const PROJECT_TEXT_LIMITS = { name: 200, code: 32, description: 4000, reason: 1000 } as const;

export function projectTextMustFit(field: keyof typeof PROJECT_TEXT_LIMITS, value: string | null): void {
  const max = PROJECT_TEXT_LIMITS[field];
  if (value !== null && value.length > max) throw invalid('PROJECT_TEXT_TOO_LONG', `${field} is longer than ${max} characters`, { field, max });
}

export function dateMustBeCalendarDate(field: string, value: string | null | undefined): void {
  if (value !== null && value !== undefined && !isIsoDate(value)) {
    throw invalid('INVALID_DATE', `${field} must be a calendar date YYYY-MM-DD`, { field, value });
  }
}

export function targetFinishMustNotPrecedeStart(startDate: string | null, targetFinishDate: string | null): void {
  if (startDate !== null && targetFinishDate !== null && targetFinishDate < startDate) {
    throw invalid('PROJECT_FINISH_BEFORE_START', 'The target finish date is before the start date', { startDate, targetFinishDate });
  }
}

/** ISO 4217 alphabetic code: budgets in different currencies must never be summed by accident. */
export function currencyMustBeIsoCode(currency: string): void {
  if (!/^[A-Z]{3}$/.test(currency)) throw invalid('PROJECT_CURRENCY_INVALID', 'Currency must be an ISO 4217 code such as EUR', { currency });
}

const PHASE_ORDER: readonly ProjectPhase[] = ['initiating', 'planning', 'executing', 'closing'];

/** The phase (or `closed`) a gate out of `phase` leads to. */
export const phaseAfter = (phase: ProjectPhase): PhaseGateRequested['data']['toPhase'] => {
  const next = PHASE_ORDER[PHASE_ORDER.indexOf(phase) + 1];
  return next === undefined || next === 'initiating' ? 'closed' : next;
};

/** PMO governance: a phase gate is decided by the PMO or by the sponsor who owns the business case. */
export const mayDecidePhaseGate = (approver: Approver, sponsor: string | null): boolean =>
  hasRole(approver, 'pmo-admin') || (sponsor !== null && approver.id === sponsor);

export function gateDeciderMustBePmoAdminOrSponsor(approver: Approver, sponsor: string | null): void {
  if (!mayDecidePhaseGate(approver, sponsor)) {
    throw forbidden('PHASE_GATE_APPROVER_NOT_ALLOWED', 'Only a pmo-admin or the project sponsor may decide a phase gate', {
      approverId: approver.id,
    });
  }
}

/** Once execution starts the scope is baselined: later scope changes go through a change request. */
export function scopeMayChangeOnlyBeforeExecution(state: OpenProject): void {
  if (state.status !== 'initiating' && state.status !== 'planning') {
    throw conflict('SCOPE_FROZEN', 'The scope statement can only be changed while initiating or planning; raise a change request', {
      status: state.status,
    });
  }
}

export function statusDateMustNotPrecedeProjectStart(statusDate: string, startDate: string | null): void {
  if (startDate !== null && statusDate < startDate) {
    throw invalid('STATUS_DATE_BEFORE_PROJECT_START', 'The status date is before the project start', { statusDate, startDate });
  }
}
