import { streamIdOf } from '@pm/shared/ddd';
export type ResourceId = string & { readonly __brand: 'ResourceId' };
export type AssignmentId = string & { readonly __brand: 'AssignmentId' };
export type TimesheetId = string & { readonly __brand: 'TimesheetId' };
export type ProjectId = string & { readonly __brand: 'ProjectId' };
export type TaskId = string & { readonly __brand: 'TaskId' };

export const toResourceId = (value: string): ResourceId => value as ResourceId;
export const toAssignmentId = (value: string): AssignmentId => value as AssignmentId;
export const toTimesheetId = (value: string): TimesheetId => value as TimesheetId;
export const toProjectId = (value: string): ProjectId => value as ProjectId;
export const toTaskId = (value: string): TaskId => value as TaskId;

/** The only places stream ids are spelled out. */
export const resourceStreamId = (tenantId: string, id: ResourceId | string): string => streamIdOf('resource', tenantId, id);
export const assignmentStreamId = (tenantId: string, id: AssignmentId | string): string => streamIdOf('assignment', tenantId, id);
/** One allocation stream per resource: what was last published about its over-allocation. */
export const allocationStreamId = (tenantId: string, id: ResourceId | string): string => streamIdOf('allocation', tenantId, id);
/** One utilisation stream per resource: the weekly figures last published for reporting (ADR 0502). */
export const utilisationStreamId = (tenantId: string, id: ResourceId | string): string => streamIdOf('utilisation', tenantId, id);
export const timesheetStreamId = (tenantId: string, id: TimesheetId | string): string => streamIdOf('timesheet', tenantId, id);
export const budgetStreamId = (tenantId: string, projectId: ProjectId | string): string => streamIdOf('budget', tenantId, projectId);
