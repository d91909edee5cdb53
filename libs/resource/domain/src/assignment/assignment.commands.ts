import type { CommandMetadata } from '../shared/command-metadata';
import type { AssignmentId, ResourceId } from '../shared/ids';
import type { ResourceKind } from '../pool/resource.events';
import type { AssignmentLoad } from './assignment.events';

/** What the handler found about the resource in its own stream; null when it does not exist. */
export interface ResourceFacts {
  readonly resourceId: ResourceId;
  readonly kind: ResourceKind;
}

/** What the local copy of planning's events says about the task; null when planning never announced it. */
export interface TaskFacts {
  readonly taskId: string;
  readonly projectId: string;
}

export interface AssignResource {
  readonly type: 'AssignResource';
  readonly data: { assignmentId: AssignmentId; resource: ResourceFacts | null; task: TaskFacts | null; requestedTaskId: string; load: AssignmentLoad };
  readonly metadata: CommandMetadata;
}

export interface ReviseAssignmentLoad {
  readonly type: 'ReviseAssignmentLoad';
  readonly data: { assignmentId: AssignmentId; load: AssignmentLoad };
  readonly metadata: CommandMetadata;
}

export interface ReplaceAssignedResource {
  readonly type: 'ReplaceAssignedResource';
  readonly data: { assignmentId: AssignmentId; replacement: ResourceFacts | null; requestedResourceId: string };
  readonly metadata: CommandMetadata;
}

export interface RemoveAssignment {
  readonly type: 'RemoveAssignment';
  readonly data: { assignmentId: AssignmentId; reason?: string | null };
  readonly metadata: CommandMetadata;
}

export type AssignmentCommand = AssignResource | ReviseAssignmentLoad | ReplaceAssignedResource | RemoveAssignment;
