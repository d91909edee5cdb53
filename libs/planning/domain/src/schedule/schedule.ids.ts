import { streamIdOf } from '@pm/shared/ddd';
import type { ProjectId } from '../project/project.ids';

export type TaskId = string & { readonly __brand: 'TaskId' };
export type DependencyId = string & { readonly __brand: 'DependencyId' };

export const toTaskId = (value: string): TaskId => value as TaskId;
export const toDependencyId = (value: string): DependencyId => value as DependencyId;

/** One schedule per project; the only place its stream id is spelled out. */
export const scheduleStreamId = (tenantId: string, projectId: ProjectId | string): string => streamIdOf('schedule', tenantId, projectId);

/** Baselines 0…10: the eleven baselines of Microsoft Project, so plans imported from it keep their numbers. */
export const BASELINE_NUMBERS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;
export type BaselineNumber = (typeof BASELINE_NUMBERS)[number];
export const isBaselineNumber = (value: unknown): value is BaselineNumber =>
  typeof value === 'number' && (BASELINE_NUMBERS as readonly number[]).includes(value);
