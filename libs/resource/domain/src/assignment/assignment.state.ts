import type { ResourceKind } from '../pool/resource.events';
import type { AssignmentLoad } from './assignment.events';

export interface StaffingEntry {
  readonly resourceId: string;
  readonly kind: ResourceKind;
  readonly since: string;
}

export interface Assignment {
  readonly assignmentId: string;
  readonly resourceId: string;
  readonly resourceKind: ResourceKind;
  readonly projectId: string;
  readonly taskId: string;
  readonly load: AssignmentLoad;
  /** Everyone who has held this assignment, oldest first; the last entry is the current resource. */
  readonly staffing: readonly StaffingEntry[];
}

export type AssignmentState =
  | { readonly status: 'none' }
  | { readonly status: 'active'; readonly assignment: Assignment }
  | { readonly status: 'removed'; readonly assignment: Assignment };

export const initialAssignmentState = (): AssignmentState => ({ status: 'none' });
