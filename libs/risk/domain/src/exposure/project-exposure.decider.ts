import type { ContractEvent } from '@pm/contracts';
import { DomainError, invalid, sameValue, streamIdOf } from '@pm/shared/ddd';
import type { Aggregate, CommandMetadata } from '@pm/shared/ddd';

/**
 * A project's risk exposure (stream `risk-exposure:<tenant>:<projectId>`, ADR 0304): the last figures published for
 * reporting. The figures are computed outside (from the register's read model); the decision is only whether they
 * moved, so an unchanged figure set (a renamed owner, a new review date) publishes nothing.
 */

export type ProjectRiskExposureChanged = ContractEvent<'risk', 'ProjectRiskExposureChanged'>;
type ExposureData = ProjectRiskExposureChanged['data'];
/** Everything the event carries but the moment it was calculated. */
export type ExposureFigures = Omit<ExposureData, 'calculatedAt'>;

/** Mirrors the contract's EXPOSURE_TOP_RISKS (a domain lib imports only types from the contracts). */
export const MAX_EXPOSURE_TOP_RISKS = 10;

export const riskExposureStreamId = (tenantId: string, projectId: string): string => streamIdOf('risk-exposure', tenantId, projectId);

export interface RecordProjectRiskExposure {
  readonly type: 'RecordProjectRiskExposure';
  readonly data: ExposureFigures;
  readonly metadata: CommandMetadata;
}
export type ProjectExposureCommand = RecordProjectRiskExposure;

export interface ProjectExposureState {
  /** The figures of the last event, null before the first. */
  figures: ExposureFigures | null;
}

export const initialProjectExposure = (): ProjectExposureState => ({ figures: null });

/** The top-risk list is bounded and ordered by the caller; a longer list is a bug upstream, not a figure to publish. */
function topRisksMustBeBounded(figures: ExposureFigures): void {
  if (figures.topRisks.length > MAX_EXPOSURE_TOP_RISKS) {
    throw invalid('EXPOSURE_TOO_MANY_TOP_RISKS', `At most ${MAX_EXPOSURE_TOP_RISKS} top risks`, { count: figures.topRisks.length });
  }
}

function projectMustMatch(figures: ExposureFigures, state: ProjectExposureState): void {
  if (state.figures !== null && state.figures.projectId !== figures.projectId) {
    throw invalid('EXPOSURE_PROJECT_MISMATCH', 'The figures are of another project than the stream', { projectId: figures.projectId });
  }
}

function recordProjectRiskExposure(command: RecordProjectRiskExposure, state: ProjectExposureState): ProjectRiskExposureChanged[] {
  const figures = command.data;
  topRisksMustBeBounded(figures);
  projectMustMatch(figures, state);
  if (state.figures !== null && sameValue(state.figures, figures)) return [];
  return [{ type: 'ProjectRiskExposureChanged', data: { ...figures, calculatedAt: command.metadata.now } }];
}

// One command and one event so far: a `switch` over a single literal type cannot narrow to `never`.
export function decideProjectExposure(command: ProjectExposureCommand, state: ProjectExposureState): ProjectRiskExposureChanged[] {
  if (command.type === 'RecordProjectRiskExposure') return recordProjectRiskExposure(command, state);
  throw unknownCommandType(command);
}

export function evolveProjectExposure(state: ProjectExposureState, event: ProjectRiskExposureChanged): ProjectExposureState {
  if (event.type !== 'ProjectRiskExposureChanged') return state;
  const { calculatedAt: _calculatedAt, ...figures } = event.data;
  state.figures = figures;
  return state;
}

const unknownCommandType = (command: { readonly type: string }): DomainError =>
  new DomainError('UNKNOWN_COMMAND', 'invalid', `Unknown command type: ${command.type}`, { type: command.type });

export const projectExposureDecider = { decide: decideProjectExposure, evolve: evolveProjectExposure, initialState: initialProjectExposure };

/** Short stream: one event per change of the figures, folded whole (no snapshot policy). */
export const projectExposureAggregate: Aggregate<ProjectExposureCommand, ProjectRiskExposureChanged, ProjectExposureState> = {
  name: 'risk.exposure',
  context: 'risk',
  decider: projectExposureDecider,
};
