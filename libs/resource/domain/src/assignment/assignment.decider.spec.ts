import { toAssignmentId, toResourceId } from '../shared/ids';
import { at, deciderSpecification } from '../testing/decider-specification';
import { assignmentDecider } from './assignment.decider';
import type { AssignmentEvent } from './assignment.events';

const spec = deciderSpecification(assignmentDecider);
const assignmentId = toAssignmentId('as-1');
const generic = { resourceId: toResourceId('r-dev-tbd'), kind: 'generic' as const };
const ada = { resourceId: toResourceId('r-ada'), kind: 'person' as const };
const task = { taskId: 't-build', projectId: 'p-erp' };
const now = '2026-03-02T09:00:00.000Z';
const later = '2026-03-09T09:00:00.000Z';
const half = { kind: 'units' as const, percent: 50 };

const assigned: AssignmentEvent = {
  type: 'ResourceAssigned',
  data: { assignmentId, resourceId: generic.resourceId, resourceKind: 'generic', projectId: 'p-erp', taskId: 't-build', load: half, assignedAt: now },
};
const assign = (over: Partial<{ resource: typeof ada | null; task: typeof task | null; load: typeof half | { kind: 'work'; minutes: number } }> = {}) => ({
  type: 'AssignResource' as const,
  data: { assignmentId, resource: generic, task, requestedTaskId: 't-build', load: half, ...over },
  metadata: at(now),
});
const replaced: AssignmentEvent = {
  type: 'AssignedResourceReplaced',
  data: { assignmentId, previousResourceId: generic.resourceId, previousResourceKind: 'generic', resourceId: ada.resourceId, taskId: 't-build', replacedAt: later },
};

describe('Assignment', () => {
  describe('AssignResource', () => {
    it('assigns a generic resource at 50 % to a task planning announced', () => spec.given([]).when(assign()).then([assigned]));
    it('rejects a task the service never heard of from planning', () => spec.given([]).when(assign({ task: null })).thenRejects('TASK_UNKNOWN', 'not-found'));
    it('rejects a resource that does not exist', () => spec.given([]).when(assign({ resource: null })).thenRejects('RESOURCE_NOT_FOUND'));
    it('rejects zero work', () => spec.given([]).when(assign({ load: { kind: 'work', minutes: 0 } })).thenRejects('WORK_OUT_OF_RANGE', 'invalid'));
    it('does nothing when the same assignment is requested again', () => spec.given([assigned]).when(assign()).thenNothingHappens());
    it('rejects reusing the id for different content', () => spec.given([assigned]).when(assign({ resource: ada })).thenRejects('ASSIGNMENT_ALREADY_EXISTS', 'conflict'));
  });

  describe('ReviseAssignmentLoad', () => {
    const revise = (load: typeof half | { kind: 'work'; minutes: number }) => ({ type: 'ReviseAssignmentLoad' as const, data: { assignmentId, load }, metadata: at(later) });
    it('switches from units to 40 hours of work', () => {
      spec.given([assigned]).when(revise({ kind: 'work', minutes: 2400 })).then([
        { type: 'AssignmentLoadRevised', data: { assignmentId, resourceId: generic.resourceId, load: { kind: 'work', minutes: 2400 }, previousLoad: half, revisedAt: later } },
      ]);
    });
    it('does nothing for the same load', () => spec.given([assigned]).when(revise(half)).thenNothingHappens());
    it('rejects a missing assignment', () => spec.given([]).when(revise(half)).thenRejects('ASSIGNMENT_NOT_FOUND'));
  });

  describe('ReplaceAssignedResource', () => {
    const replace = (replacement: typeof ada | typeof generic | null, requestedResourceId: string = replacement?.resourceId ?? 'r-ghost') => ({
      type: 'ReplaceAssignedResource' as const,
      data: { assignmentId, replacement, requestedResourceId },
      metadata: at(later),
    });
    it('staffs the placeholder with a named person and keeps who held it before', () => {
      spec.given([assigned]).when(replace(ada)).then([replaced]);
      const state = spec.given([assigned, replaced]).state;
      expect(state.status === 'active' && state.assignment.staffing).toEqual([
        { resourceId: 'r-dev-tbd', kind: 'generic', since: now },
        { resourceId: 'r-ada', kind: 'person', since: later },
      ]);
    });
    it('does nothing when the person already holds it', () => spec.given([assigned, replaced]).when(replace(ada)).thenNothingHappens());
    it('rejects a placeholder as the replacement', () => spec.given([assigned, replaced]).when(replace(generic)).thenRejects('REPLACEMENT_MUST_BE_A_PERSON'));
    it('rejects an unknown replacement', () => spec.given([assigned]).when(replace(null)).thenRejects('RESOURCE_NOT_FOUND'));
  });

  describe('RemoveAssignment', () => {
    const remove = { type: 'RemoveAssignment' as const, data: { assignmentId, reason: 'descoped' }, metadata: at(later) };
    const removed: AssignmentEvent = { type: 'AssignmentRemoved', data: { assignmentId, resourceId: 'r-dev-tbd', taskId: 't-build', reason: 'descoped', removedAt: later } };
    it('removes an assignment', () => spec.given([assigned]).when(remove).then([removed]));
    it('does nothing when already removed', () => spec.given([assigned, removed]).when(remove).thenNothingHappens());
    it('rejects a missing assignment', () => spec.given([]).when(remove).thenRejects('ASSIGNMENT_NOT_FOUND'));
    it('rejects revising a removed assignment', () => {
      spec.given([assigned, removed]).when({ type: 'ReviseAssignmentLoad', data: { assignmentId, load: half }, metadata: at(later) }).thenRejects('ASSIGNMENT_REMOVED', 'conflict');
    });
  });
});
