import { unknownCommand } from '@pm/shared/ddd';
import { approvePhaseGate, rejectPhaseGate, requestPhaseGate } from './phase-gate.decisions';
import type { ProjectCommand } from './project.commands';
import type { ProjectEvent } from './project.events';
import { evolveProject } from './project.evolve';
import { defineObjective, defineScopeStatement, recordKpiActual, setProjectStatusDate } from './project-charter.decisions';
import { cancelProject, createProject, putProjectOnHold, renameProject, resumeProject } from './project-lifecycle.decisions';
import type { ProjectState } from './project.state';
import { initialProjectState } from './project.state';

export function decideProject(command: ProjectCommand, state: ProjectState): ProjectEvent[] {
  switch (command.type) {
    case 'CreateProject':
      return createProject(command, state);
    case 'RenameProject':
      return renameProject(command, state);
    case 'RequestPhaseGate':
      return requestPhaseGate(command, state);
    case 'ApprovePhaseGate':
      return approvePhaseGate(command, state);
    case 'RejectPhaseGate':
      return rejectPhaseGate(command, state);
    case 'PutProjectOnHold':
      return putProjectOnHold(command, state);
    case 'ResumeProject':
      return resumeProject(command, state);
    case 'CancelProject':
      return cancelProject(command, state);
    case 'DefineObjective':
      return defineObjective(command, state);
    case 'RecordKpiActual':
      return recordKpiActual(command, state);
    case 'DefineScopeStatement':
      return defineScopeStatement(command, state);
    case 'SetProjectStatusDate':
      return setProjectStatusDate(command, state);
    default:
      return unknownCommand(command);
  }
}

export const projectDecider = {
  decide: decideProject,
  evolve: evolveProject,
  initialState: initialProjectState,
};
