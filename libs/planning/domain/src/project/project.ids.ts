import { streamIdOf } from '@pm/shared/ddd';
export type ProjectId = string & { readonly __brand: 'ProjectId' };
export type ObjectiveId = string & { readonly __brand: 'ObjectiveId' };
export type KpiId = string & { readonly __brand: 'KpiId' };
export type PhaseGateId = string & { readonly __brand: 'PhaseGateId' };

export const toProjectId = (value: string): ProjectId => value as ProjectId;
export const toObjectiveId = (value: string): ObjectiveId => value as ObjectiveId;
export const toKpiId = (value: string): KpiId => value as KpiId;
export const toPhaseGateId = (value: string): PhaseGateId => value as PhaseGateId;

/** The only place a project stream id is spelled out. */
export const projectStreamId = (tenantId: string, id: ProjectId | string): string => streamIdOf('project', tenantId, id);
