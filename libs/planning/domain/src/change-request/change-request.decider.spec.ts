import { deciderSpecification, metadataAt } from '../testing/decider-specification';
import { D, T, added, meta as scheduleMeta, scheduleOpened } from '../schedule/schedule.spec-fixtures';
import { scheduleDecider } from '../schedule/schedule.decider';
import type { ScheduleEvent } from '../schedule/schedule.events';
import type { OpenedSchedule } from '../schedule/schedule.state';
import { toProjectId } from '../project/project.ids';
import { scheduleEventsForAppliedChange } from './apply-change-to-schedule';
import { changeRequestDecider } from './change-request.decider';
import type { ChangeRequestApplied, ChangeRequestEvent, ChangeRequestRaised } from './change-request.events';
import { changeRequestStreamId, toChangeRequestId } from './change-request.ids';
import { DEFAULT_CHANGE_APPROVAL_LIMITS, changeApprovalAuthority } from './change-request.rules';
import type { ProposedScheduleChange } from './proposed-change';

const spec = deciderSpecification(changeRequestDecider);
const changeRequestId = toChangeRequestId('cr-7');
const projectId = toProjectId('p-100');
const now = '2025-04-01T10:00:00.000Z';
const meta = metadataAt(now, 'user:mia');
const pmo = { id: 'user:petra', roles: ['pmo-admin'] };
const manager = { id: 'user:mia', roles: ['project-manager'] };
const member = { id: 'user:tom', roles: ['team-member'] };
const changes: ProposedScheduleChange[] = [
  { type: 'AddTaskToWbs', data: { taskId: T('pen-test'), name: 'Penetration test', kind: 'task', durationDays: 3, costBudget: 4500 } },
  { type: 'LinkDependency', data: { dependencyId: D('code-pen'), predecessorId: T('code'), successorId: T('pen-test') } },
];
const raised: ChangeRequestRaised = {
  type: 'ChangeRequestRaised',
  data: { changeRequestId, projectId, title: 'Add a pen test', description: 'Security asks for a pen test before go-live', proposedChanges: changes, rebaselineAs: null, raisedBy: 'user:mia', raisedAt: now },
};
const assessed = (scheduleImpactDays: number, costImpact: number): ChangeRequestEvent => ({
  type: 'ChangeRequestAssessed',
  data: { changeRequestId, projectId, impact: { scheduleImpactDays, costImpact, notes: null }, assessedBy: 'user:mia', assessedAt: now },
});
const approvedBy = (approver: { id: string }, approvedAs: 'pmo-admin' | 'project-manager'): ChangeRequestEvent => ({
  type: 'ChangeRequestApproved',
  data: { changeRequestId, projectId, approvedBy: approver.id, approvedAs, approvedAt: now, comment: null },
});
const approve = (approver: { id: string; roles: string[] }) => ({ type: 'ApproveChangeRequest' as const, data: { changeRequestId, approver }, metadata: meta });
const raise = (extra: object = {}) => ({
  type: 'RaiseChangeRequest' as const,
  data: { changeRequestId, projectId, title: ' Add a pen test ', description: 'Security asks for a pen test before go-live', proposedChanges: changes, ...extra },
  metadata: meta,
});

describe('ChangeRequest', () => {
  it('names its stream change-request:<tenant>:<id>, so two tenants never share one', () => {
    expect(changeRequestStreamId('acme', changeRequestId)).toBe('change-request:acme:cr-7');
    expect(changeRequestStreamId('other', changeRequestId)).not.toBe(changeRequestStreamId('acme', changeRequestId));
  });

  describe('when raising', () => {
    it('raises it with its proposed changes', () => {
      spec.given([]).when(raise()).then([raised]);
    });

    it('does nothing when the same request is raised again', () => {
      spec.given([raised]).when(raise()).thenNothingHappens();
    });

    it.each([
      ['an empty request', { proposedChanges: [] }, 'CHANGE_REQUEST_EMPTY'],
      ['a blank description', { description: ' ' }, 'CHANGE_REQUEST_DESCRIPTION_REQUIRED'],
      ['progress disguised as a change', { proposedChanges: [{ type: 'FinishTask', data: { taskId: 'code', actualFinish: '2025-04-01' } }] }, 'CHANGE_NOT_PROPOSABLE'],
      ['a baseline number out of range', { rebaselineAs: 11 }, 'BASELINE_NUMBER_INVALID'],
    ])('rejects %s', (_case, extra, code) => {
      spec.given([]).when(raise(extra)).thenRejects(code, 'invalid');
    });

    it('rejects a different request under a used id', () => {
      spec.given([raised]).when(raise({ title: 'Something else' })).thenRejects('CHANGE_REQUEST_ALREADY_RAISED', 'conflict');
    });
  });

  describe('when assessing', () => {
    it('records the impact computed by the caller, and a repeat is a no-op', () => {
      spec.given([raised]).when({ type: 'AssessChangeRequest', data: { changeRequestId, scheduleImpactDays: 3, costImpact: 4500 }, metadata: meta }).then([assessed(3, 4500)]);
      spec.given([raised, assessed(3, 4500)]).when({ type: 'AssessChangeRequest', data: { changeRequestId, scheduleImpactDays: 3, costImpact: 4500 }, metadata: meta }).thenNothingHappens();
    });

    it('rejects a non-numeric impact and assessing after the decision', () => {
      spec.given([raised]).when({ type: 'AssessChangeRequest', data: { changeRequestId, scheduleImpactDays: Number.NaN, costImpact: 0 }, metadata: meta }).thenRejects('CHANGE_IMPACT_INVALID');
      spec
        .given([raised, assessed(3, 4500), approvedBy(manager, 'project-manager')])
        .when({ type: 'AssessChangeRequest', data: { changeRequestId, scheduleImpactDays: 1, costImpact: 1 }, metadata: meta })
        .thenRejects('CHANGE_REQUEST_ALREADY_DECIDED', 'conflict');
    });

    it('rejects assessing a request that was never raised', () => {
      spec.given([]).when({ type: 'AssessChangeRequest', data: { changeRequestId, scheduleImpactDays: 1, costImpact: 1 }, metadata: meta }).thenRejects('CHANGE_REQUEST_NOT_FOUND', 'not-found');
    });
  });

  describe('when approving', () => {
    it('lets a project manager approve a change under the limits', () => {
      spec.given([raised, assessed(3, 4500)]).when(approve(manager)).then([approvedBy(manager, 'project-manager')]);
    });

    it('sends a change at the cost limit to the PMO', () => {
      spec.given([raised, assessed(3, 10_000)]).when(approve(manager)).thenRejects('CHANGE_APPROVER_NOT_ALLOWED', 'forbidden');
      spec.given([raised, assessed(3, 10_000)]).when(approve(pmo)).then([approvedBy(pmo, 'pmo-admin')]);
    });

    it('sends a large saving or a re-baseline to the PMO too', () => {
      spec.given([raised, assessed(-6, 0)]).when(approve(manager)).thenRejects('CHANGE_APPROVER_NOT_ALLOWED');
      const withRebaseline = { ...raised, data: { ...raised.data, rebaselineAs: 1 } };
      spec.given([withRebaseline, assessed(1, 100)]).when(approve(manager)).thenRejects('CHANGE_APPROVER_NOT_ALLOWED');
    });

    it('rejects approval by a team member and approval before assessment', () => {
      spec.given([raised, assessed(1, 1)]).when(approve(member)).thenRejects('CHANGE_APPROVER_NOT_ALLOWED');
      spec.given([raised]).when(approve(pmo)).thenRejects('CHANGE_REQUEST_NOT_ASSESSED', 'conflict');
    });

    it('does nothing when approved again', () => {
      spec.given([raised, assessed(3, 4500), approvedBy(pmo, 'pmo-admin')]).when(approve(manager)).thenNothingHappens();
    });

    it('honours tenant-configured limits', () => {
      const limits = { costImpactBelow: 50_000, scheduleImpactDaysBelow: 10 };
      const events = spec.given([raised, assessed(8, 20_000)]).when({ type: 'ApproveChangeRequest', data: { changeRequestId, approver: manager, limits }, metadata: meta }).events();
      expect(events).toEqual([approvedBy(manager, 'project-manager')]);
    });

    it('states the policy as one rule', () => {
      const impact = { scheduleImpactDays: 4, costImpact: 9_999, notes: null };
      expect(changeApprovalAuthority(manager, impact, null)).toBe('project-manager');
      expect(changeApprovalAuthority(manager, { ...impact, scheduleImpactDays: 5 }, null)).toBeNull();
      expect(changeApprovalAuthority(manager, null, null)).toBeNull();
      expect(changeApprovalAuthority(pmo, null, 3)).toBe('pmo-admin');
      expect(DEFAULT_CHANGE_APPROVAL_LIMITS).toEqual({ costImpactBelow: 10_000, scheduleImpactDaysBelow: 5 });
    });
  });

  describe('when rejecting or withdrawing', () => {
    it('rejects with a reason, once', () => {
      const rejected: ChangeRequestEvent = { type: 'ChangeRequestRejected', data: { changeRequestId, projectId, rejectedBy: pmo.id, rejectedAt: now, reason: 'Out of budget' } };
      spec.given([raised, assessed(3, 4500)]).when({ type: 'RejectChangeRequest', data: { changeRequestId, approver: pmo, reason: 'Out of budget' }, metadata: meta }).then([rejected]);
      spec.given([raised, rejected]).when({ type: 'RejectChangeRequest', data: { changeRequestId, approver: pmo, reason: 'Out of budget' }, metadata: meta }).thenNothingHappens();
      spec.given([raised]).when({ type: 'RejectChangeRequest', data: { changeRequestId, approver: manager, reason: 'No' }, metadata: meta }).thenRejects('CHANGE_APPROVER_NOT_ALLOWED');
    });

    it('lets the requester withdraw, but not a bystander', () => {
      spec.given([raised]).when({ type: 'WithdrawChangeRequest', data: { changeRequestId, withdrawer: manager }, metadata: meta }).then([
        { type: 'ChangeRequestWithdrawn', data: { changeRequestId, projectId, withdrawnBy: manager.id, withdrawnAt: now, reason: null } },
      ]);
      spec
        .given([raised])
        .when({ type: 'WithdrawChangeRequest', data: { changeRequestId, withdrawer: member }, metadata: metadataAt(now, 'user:tom') })
        .thenRejects('CHANGE_WITHDRAWAL_NOT_ALLOWED', 'forbidden');
    });

    it('recognises the requester by their actor, whatever their user id looks like', () => {
      const raisedByEmail = { ...raised, data: { ...raised.data, raisedBy: 'user:mia%40corp.example' } };
      const miaByEmail = { id: 'mia@corp.example', roles: ['team-member'] };
      spec
        .given([raisedByEmail])
        .when({ type: 'WithdrawChangeRequest', data: { changeRequestId, withdrawer: miaByEmail }, metadata: metadataAt(now, 'user:mia%40corp.example') })
        .then([{ type: 'ChangeRequestWithdrawn', data: { changeRequestId, projectId, withdrawnBy: miaByEmail.id, withdrawnAt: now, reason: null } }]);
    });
  });

  describe('when applying', () => {
    const approved = [raised, assessed(3, 4500), approvedBy(manager, 'project-manager')];
    const applied: ChangeRequestApplied = { type: 'ChangeRequestApplied', data: { changeRequestId, projectId, appliedChanges: changes, appliedBy: 'user:mia', appliedAt: now } };

    it('applies the approved changes', () => {
      spec.given(approved).when({ type: 'ApplyChangeRequest', data: { changeRequestId }, metadata: meta }).then([applied]);
    });

    it('requests the new baseline it was approved with', () => {
      const withRebaseline = [{ ...raised, data: { ...raised.data, rebaselineAs: 1 } }, assessed(3, 4500), approvedBy(pmo, 'pmo-admin')];
      spec.given(withRebaseline).when({ type: 'ApplyChangeRequest', data: { changeRequestId }, metadata: meta }).then([
        applied,
        { type: 'NewBaselineRequested', data: { changeRequestId, projectId, baselineNumber: 1, requestedAt: now } },
      ]);
    });

    it('does nothing when applied again, and rejects applying an unapproved request', () => {
      spec.given([...approved, applied]).when({ type: 'ApplyChangeRequest', data: { changeRequestId }, metadata: meta }).thenNothingHappens();
      spec.given([raised, assessed(3, 4500)]).when({ type: 'ApplyChangeRequest', data: { changeRequestId }, metadata: meta }).thenRejects('CHANGE_REQUEST_NOT_APPROVED', 'conflict');
    });

    it('turns the applied change into schedule events, all or nothing', () => {
      const schedule: ScheduleEvent[] = [scheduleOpened, added('code')];
      const fold = () => schedule.reduce(scheduleDecider.evolve, scheduleDecider.initialState());
      const events = scheduleEventsForAppliedChange(fold(), applied, scheduleMeta);
      expect(events).toEqual([
        { type: 'TaskAddedToWbs', data: { projectId, taskId: 'pen-test', name: 'Penetration test', kind: 'task', parentId: null, position: 1, durationDays: 3, workHours: null, costBudget: 4500 } },
        { type: 'DependencyLinked', data: { projectId, dependencyId: 'code-pen', predecessorId: 'code', successorId: 'pen-test', dependencyType: 'FS', lagDays: 0 } },
      ]);
      const after = events.reduce(scheduleDecider.evolve, fold()) as OpenedSchedule;
      expect([...after.dependencies.keys()]).toEqual(['code-pen']);
      // Without the `code` task the link is impossible, so nothing at all is returned.
      const withoutCode = [scheduleOpened].reduce(scheduleDecider.evolve, scheduleDecider.initialState());
      expect(() => scheduleEventsForAppliedChange(withoutCode, applied, scheduleMeta)).toThrow(expect.objectContaining({ code: 'DEPENDENCY_TASK_NOT_FOUND' }));
    });
  });
});
