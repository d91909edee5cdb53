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
export const resourceStreamId = (id: ResourceId | string): string => `resource-${id}`;
export const assignmentStreamId = (id: AssignmentId | string): string => `assignment-${id}`;
/** One allocation stream per resource: what was last published about its over-allocation. */
export const allocationStreamId = (id: ResourceId | string): string => `allocation-${id}`;
export const timesheetStreamId = (id: TimesheetId | string): string => `timesheet-${id}`;
export const budgetStreamId = (projectId: ProjectId | string): string => `budget-${projectId}`;
