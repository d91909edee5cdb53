import { conflict, invalid, notFound, ignoreUnknownEvent, unknownCommand, sameValue } from '@pm/shared/ddd';
import type { AssignResource, AssignmentCommand, RemoveAssignment, ReplaceAssignedResource, ReviseAssignmentLoad } from './assignment.commands';
import type { AssignmentEvent, AssignmentLoad } from './assignment.events';
import type { Assignment, AssignmentState } from './assignment.state';
import { initialAssignmentState } from './assignment.state';

/** Up to 10 people's worth of units (a crew) and up to a year of work: anything beyond is a typo. */
export function loadMustBeSensible(load: AssignmentLoad): void {
  if (load.kind === 'units' && !(Number.isInteger(load.percent) && load.percent > 0 && load.percent <= 1000)) {
    throw invalid('UNITS_OUT_OF_RANGE', `units ${load.percent} % must be a whole number in 1..1000`);
  }
  if (load.kind === 'work' && !(Number.isInteger(load.minutes) && load.minutes > 0 && load.minutes <= 366 * 24 * 60)) {
    throw invalid('WORK_OUT_OF_RANGE', `work ${load.minutes} min must be a whole number of minutes, at most a year`);
  }
}

function assignmentMustBeActive(state: AssignmentState): asserts state is { status: 'active'; assignment: Assignment } {
  if (state.status === 'none') throw notFound('ASSIGNMENT_NOT_FOUND', 'Assignment does not exist');
  if (state.status === 'removed') throw conflict('ASSIGNMENT_REMOVED', `Assignment ${state.assignment.assignmentId} was removed`);
}

const sameLoad = (a: AssignmentLoad, b: AssignmentLoad) => sameValue(a, b);

function assign(command: AssignResource, state: AssignmentState): AssignmentEvent[] {
  const { assignmentId, resource, task, requestedTaskId, load } = command.data;
  if (state.status !== 'none') {
    const a = state.assignment;
    // A retried request with the same content is the same assignment, not a clash.
    if (state.status === 'active' && a.resourceId === resource?.resourceId && a.taskId === requestedTaskId && sameLoad(a.load, load)) return [];
    throw conflict('ASSIGNMENT_ALREADY_EXISTS', `Assignment ${assignmentId} already exists`);
  }
  if (!resource) throw notFound('RESOURCE_NOT_FOUND', 'The resource to assign does not exist');
  // The resource service never calls planning: a task it has not heard of in pm.planning.events is unknown.
  if (!task) throw notFound('TASK_UNKNOWN', `Task ${requestedTaskId} is not known from planning's events`, { taskId: requestedTaskId });
  if (resource.kind === 'material' && load.kind === 'units') throw invalid('MATERIAL_NEEDS_WORK', 'material is assigned by quantity, not units');
  loadMustBeSensible(load);
  return [
    {
      type: 'ResourceAssigned',
      data: { assignmentId, resourceId: resource.resourceId, resourceKind: resource.kind, projectId: task.projectId, taskId: task.taskId, load, assignedAt: command.metadata.now },
    },
  ];
}

function revise(command: ReviseAssignmentLoad, state: AssignmentState): AssignmentEvent[] {
  assignmentMustBeActive(state);
  loadMustBeSensible(command.data.load);
  const { assignment } = state;
  if (sameLoad(assignment.load, command.data.load)) return [];
  return [
    {
      type: 'AssignmentLoadRevised',
      data: { assignmentId: assignment.assignmentId, resourceId: assignment.resourceId, load: command.data.load, previousLoad: assignment.load, revisedAt: command.metadata.now },
    },
  ];
}

function replace(command: ReplaceAssignedResource, state: AssignmentState): AssignmentEvent[] {
  assignmentMustBeActive(state);
  const { replacement, requestedResourceId } = command.data;
  const { assignment } = state;
  if (assignment.resourceId === requestedResourceId) return [];
  if (!replacement) throw notFound('RESOURCE_NOT_FOUND', `Resource ${requestedResourceId} does not exist`);
  if (replacement.kind !== 'person') throw invalid('REPLACEMENT_MUST_BE_A_PERSON', 'only a named person can take over an assignment');
  return [
    {
      type: 'AssignedResourceReplaced',
      data: {
        assignmentId: assignment.assignmentId,
        previousResourceId: assignment.resourceId,
        previousResourceKind: assignment.resourceKind,
        resourceId: replacement.resourceId,
        taskId: assignment.taskId,
        replacedAt: command.metadata.now,
      },
    },
  ];
}

function remove(command: RemoveAssignment, state: AssignmentState): AssignmentEvent[] {
  if (state.status === 'removed') return [];
  assignmentMustBeActive(state);
  const { assignmentId, resourceId, taskId } = state.assignment;
  return [{ type: 'AssignmentRemoved', data: { assignmentId, resourceId, taskId, reason: command.data.reason?.trim() || null, removedAt: command.metadata.now } }];
}

export function decideAssignment(command: AssignmentCommand, state: AssignmentState): AssignmentEvent[] {
  switch (command.type) {
    case 'AssignResource':
      return assign(command, state);
    case 'ReviseAssignmentLoad':
      return revise(command, state);
    case 'ReplaceAssignedResource':
      return replace(command, state);
    case 'RemoveAssignment':
      return remove(command, state);
    default:
      return unknownCommand(command);
  }
}

export function evolveAssignment(state: AssignmentState, event: AssignmentEvent): AssignmentState {
  switch (event.type) {
    case 'ResourceAssigned': {
      const { assignedAt, ...a } = event.data;
      return { status: 'active', assignment: { ...a, staffing: [{ resourceId: a.resourceId, kind: a.resourceKind, since: assignedAt }] } };
    }
    case 'AssignmentLoadRevised':
      return state.status === 'active' ? { status: 'active', assignment: { ...state.assignment, load: event.data.load } } : state;
    case 'AssignedResourceReplaced': {
      if (state.status !== 'active') return state;
      const { resourceId, replacedAt } = event.data;
      const staffing = [...state.assignment.staffing, { resourceId, kind: 'person' as const, since: replacedAt }];
      return { status: 'active', assignment: { ...state.assignment, resourceId, resourceKind: 'person', staffing } };
    }
    case 'AssignmentRemoved':
      return state.status === 'active' ? { status: 'removed', assignment: state.assignment } : state;
    default:
      return ignoreUnknownEvent(state, event);
  }
}

export const assignmentDecider = { decide: decideAssignment, evolve: evolveAssignment, initialState: initialAssignmentState };
