import { conflict, invalid, notFound, blankToNull, cleanList, sameValue } from '@pm/shared/ddd';
import type { DefineObjective, DefineScopeStatement, RecordKpiActual, SetProjectStatusDate } from './project.commands';
import type { KpiActualRecorded, KpiDefinition, ObjectiveDefined, ProjectStatusDateSet, ScopeStatementDefined } from './project.events';
import {
  dateMustBeCalendarDate,
  projectMustBeOpen,
  projectMustExist,
  scopeMayChangeOnlyBeforeExecution,
  statusDateMustNotPrecedeProjectStart,
} from './project.rules';
import type { ProjectState } from './project.state';

/** An objective without a measurable KPI cannot be judged at closure, so at least one is required. */
export function objectiveMustBeMeasurable(kpis: readonly KpiDefinition[]): void {
  if (kpis.length === 0) throw invalid('OBJECTIVE_KPI_REQUIRED', 'An objective needs at least one measurable KPI');
  const seen = new Set<string>();
  for (const kpi of kpis) {
    if (seen.has(kpi.kpiId)) throw invalid('KPI_DUPLICATE', `KPI ${kpi.kpiId} appears twice`, { kpiId: kpi.kpiId });
    seen.add(kpi.kpiId);
    if (kpi.name === '') throw invalid('KPI_NAME_REQUIRED', 'A KPI needs a name', { kpiId: kpi.kpiId });
    if (kpi.unit === '') throw invalid('KPI_UNIT_REQUIRED', 'A KPI target needs a unit', { kpiId: kpi.kpiId });
    if (!Number.isFinite(kpi.target)) throw invalid('KPI_TARGET_INVALID', 'A KPI target must be a finite number', { kpiId: kpi.kpiId });
  }
}

export function defineObjective(command: DefineObjective, state: ProjectState): ObjectiveDefined[] {
  projectMustExist(state);
  projectMustBeOpen(state);
  const description = blankToNull(command.data.description);
  if (description === null) throw invalid('OBJECTIVE_DESCRIPTION_REQUIRED', 'An objective needs a description');
  const kpis: KpiDefinition[] = command.data.kpis.map((k) => ({
    kpiId: k.kpiId,
    name: k.name.trim(),
    target: k.target,
    unit: k.unit.trim(),
  }));
  objectiveMustBeMeasurable(kpis);
  const { objectiveId } = command.data;
  const existing = state.project.objectives.get(objectiveId);
  if (existing) {
    const sameDefinition =
      existing.description === description &&
      sameValue([...existing.kpis.values()].map(({ kpiId, name, target, unit }) => ({ kpiId, name, target, unit })), kpis);
    if (sameDefinition) return [];
    throw conflict('OBJECTIVE_ALREADY_DEFINED', `Objective ${objectiveId} is already defined differently`, { objectiveId });
  }
  const { projectId } = state.project.profile;
  return [{ type: 'ObjectiveDefined', data: { projectId, objectiveId, description, kpis, definedAt: command.metadata.now } }];
}

/** Benefits are often realised after hand-over, so KPI actuals may still be recorded on a closed project. */
export function recordKpiActual(command: RecordKpiActual, state: ProjectState): KpiActualRecorded[] {
  projectMustExist(state);
  // Closed projects still take benefit measurements; a cancelled one delivered nothing to measure.
  if (state.status === 'cancelled') projectMustBeOpen(state);
  const { objectiveId, kpiId, actual, measuredOn } = command.data;
  const objective = state.project.objectives.get(objectiveId);
  if (!objective) throw notFound('OBJECTIVE_NOT_FOUND', `Objective ${objectiveId} is not defined`, { objectiveId });
  const kpi = objective.kpis.get(kpiId);
  if (!kpi) throw notFound('KPI_NOT_FOUND', `KPI ${kpiId} is not part of objective ${objectiveId}`, { objectiveId, kpiId });
  if (!Number.isFinite(actual)) throw invalid('KPI_ACTUAL_INVALID', 'A KPI actual must be a finite number', { kpiId });
  dateMustBeCalendarDate('measuredOn', measuredOn);
  if (kpi.actual === actual && kpi.measuredOn === measuredOn) return [];
  const { projectId } = state.project.profile;
  return [{ type: 'KpiActualRecorded', data: { projectId, objectiveId, kpiId, actual, measuredOn, recordedAt: command.metadata.now } }];
}

export function defineScopeStatement(command: DefineScopeStatement, state: ProjectState): ScopeStatementDefined[] {
  projectMustExist(state);
  projectMustBeOpen(state);
  const statement = blankToNull(command.data.statement);
  if (statement === null) throw invalid('SCOPE_STATEMENT_REQUIRED', 'A scope statement needs text');
  const scope = {
    statement,
    inScope: cleanList(command.data.inScope),
    outOfScope: cleanList(command.data.outOfScope),
    assumptions: cleanList(command.data.assumptions),
    constraints: cleanList(command.data.constraints),
  };
  if (state.project.scope !== null && sameValue(state.project.scope, scope)) return [];
  scopeMayChangeOnlyBeforeExecution(state);
  const { projectId } = state.project.profile;
  return [{ type: 'ScopeStatementDefined', data: { projectId, ...scope, definedAt: command.metadata.now } }];
}

export function setProjectStatusDate(command: SetProjectStatusDate, state: ProjectState): ProjectStatusDateSet[] {
  projectMustExist(state);
  projectMustBeOpen(state);
  const { statusDate } = command.data;
  dateMustBeCalendarDate('statusDate', statusDate);
  if (state.project.statusDate === statusDate) return [];
  statusDateMustNotPrecedeProjectStart(statusDate, state.project.profile.startDate);
  const { projectId } = state.project.profile;
  return [{ type: 'ProjectStatusDateSet', data: { projectId, statusDate, setAt: command.metadata.now } }];
}
