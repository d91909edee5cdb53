import type { ResourceKind } from '../pool/resource.events';

/** Either a share of each working day (units, 100 = full time) or a total of work in minutes. */
export type AssignmentLoad = { readonly kind: 'units'; readonly percent: number } | { readonly kind: 'work'; readonly minutes: number };

export interface ResourceAssigned {
  readonly type: 'ResourceAssigned';
  readonly data: {
    assignmentId: string;
    resourceId: string;
    resourceKind: ResourceKind;
    projectId: string;
    taskId: string;
    load: AssignmentLoad;
    assignedAt: string;
  };
}

export interface AssignmentLoadRevised {
  readonly type: 'AssignmentLoadRevised';
  readonly data: { assignmentId: string; resourceId: string; load: AssignmentLoad; previousLoad: AssignmentLoad; revisedAt: string };
}

/** Staffing a placeholder (or handing work to a colleague): the old resource stays in the stream's history. */
export interface AssignedResourceReplaced {
  readonly type: 'AssignedResourceReplaced';
  readonly data: {
    assignmentId: string;
    previousResourceId: string;
    previousResourceKind: ResourceKind;
    resourceId: string;
    taskId: string;
    replacedAt: string;
  };
}

export interface AssignmentRemoved {
  readonly type: 'AssignmentRemoved';
  readonly data: { assignmentId: string; resourceId: string; taskId: string; reason: string | null; removedAt: string };
}

export type AssignmentEvent = ResourceAssigned | AssignmentLoadRevised | AssignedResourceReplaced | AssignmentRemoved;
