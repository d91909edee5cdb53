import { conflict, invalid, blankToNull } from '@pm/shared/ddd';
import type { CancelProject, CreateProject, PutProjectOnHold, RenameProject, ResumeProject } from './project.commands';
import type { ProjectCancelled, ProjectCreated, ProjectPutOnHold, ProjectRenamed, ProjectResumed } from './project.events';
import {
  currencyMustBeIsoCode,
  dateMustBeCalendarDate,
  projectMustBeOpen,
  projectMustExist,
  projectMustNotExist,
  projectNameMustNotBeBlank,
  projectTextMustFit,
  targetFinishMustNotPrecedeStart,
} from './project.rules';
import type { ProjectState } from './project.state';

export const DEFAULT_PROJECT_PRIORITY = 'medium';
export const DEFAULT_PROJECT_CURRENCY = 'EUR';

export function createProject(command: CreateProject, state: ProjectState): [ProjectCreated] {
  projectMustNotExist(state);
  const { data, metadata } = command;
  projectNameMustNotBeBlank(data.name);
  const name = data.name.trim();
  const code = blankToNull(data.code);
  const description = blankToNull(data.description);
  projectTextMustFit('name', name);
  projectTextMustFit('code', code);
  projectTextMustFit('description', description);
  const startDate = data.startDate ?? null;
  const targetFinishDate = data.targetFinishDate ?? null;
  dateMustBeCalendarDate('startDate', startDate);
  dateMustBeCalendarDate('targetFinishDate', targetFinishDate);
  targetFinishMustNotPrecedeStart(startDate, targetFinishDate);
  const currency = data.currency ?? DEFAULT_PROJECT_CURRENCY;
  currencyMustBeIsoCode(currency);
  return [
    {
      type: 'ProjectCreated',
      data: {
        projectId: data.projectId,
        name,
        code,
        description,
        startDate,
        targetFinishDate,
        status: 'initiating',
        priority: data.priority ?? DEFAULT_PROJECT_PRIORITY,
        sponsor: blankToNull(data.sponsor),
        managerId: blankToNull(data.managerId),
        currency,
        calendarId: blankToNull(data.calendarId),
        createdAt: metadata.now,
      },
    },
  ];
}

export function renameProject(command: RenameProject, state: ProjectState): ProjectRenamed[] {
  projectMustExist(state);
  projectMustBeOpen(state);
  projectNameMustNotBeBlank(command.data.name);
  const name = command.data.name.trim();
  projectTextMustFit('name', name);
  const reason = blankToNull(command.data.reason);
  projectTextMustFit('reason', reason);
  const previousName = state.project.profile.name;
  if (previousName === name) return [];
  return [{ type: 'ProjectRenamed', data: { projectId: state.project.profile.projectId, name, previousName, reason } }];
}

function reasonMustBeGiven(reason: string, code: string): string {
  const given = blankToNull(reason);
  if (given === null) throw invalid(code, 'A reason is required');
  return given;
}

/** Only planning and executing can pause: initiation has nothing to pause, closing is finishing anyway. */
export function putProjectOnHold(command: PutProjectOnHold, state: ProjectState): ProjectPutOnHold[] {
  projectMustExist(state);
  projectMustBeOpen(state);
  if (state.status === 'on-hold') return [];
  if (state.status !== 'planning' && state.status !== 'executing') {
    throw conflict('PROJECT_HOLD_NOT_ALLOWED', `A project that is ${state.status} cannot be put on hold`, { status: state.status });
  }
  const reason = reasonMustBeGiven(command.data.reason, 'HOLD_REASON_REQUIRED');
  const { projectId } = state.project.profile;
  const { actor, now } = command.metadata;
  return [{ type: 'ProjectPutOnHold', data: { projectId, previousStatus: state.status, reason, heldBy: actor, heldAt: now } }];
}

export function resumeProject(command: ResumeProject, state: ProjectState): ProjectResumed[] {
  projectMustExist(state);
  projectMustBeOpen(state);
  if (state.status !== 'on-hold') {
    throw conflict('PROJECT_NOT_ON_HOLD', `Project is ${state.status}, not on hold`, { status: state.status });
  }
  const { projectId } = state.project.profile;
  return [{ type: 'ProjectResumed', data: { projectId, resumedTo: state.resumeTo, resumedBy: command.metadata.actor, resumedAt: command.metadata.now } }];
}

export function cancelProject(command: CancelProject, state: ProjectState): ProjectCancelled[] {
  projectMustExist(state);
  if (state.status === 'cancelled') return [];
  projectMustBeOpen(state);
  const reason = reasonMustBeGiven(command.data.reason, 'CANCELLATION_REASON_REQUIRED');
  const { projectId } = state.project.profile;
  const { actor, now } = command.metadata;
  return [{ type: 'ProjectCancelled', data: { projectId, previousStatus: state.status, reason, cancelledBy: actor, cancelledAt: now } }];
}
