import { deciderSpecification } from '@pm/shared/ddd/testing';
import { meta, now, projectId, riskId } from './register.spec-fixtures';
import { issueDecider, raiseIssueFromOccurredRisk } from './issue.decider';
import type { RaiseIssue } from './issue.decider';
import type { IssueEvent, IssueRaised, RiskOccurred } from './risk-register.events';
import { issueStreamId, toIssueId } from './risk.ids';

const spec = deciderSpecification(issueDecider);
const issueId = toIssueId('5c9e3a7d-1f4b-4d8c-8e3a-4b5c6d7e8f90');
const changeRequestId = '0b6c3f1e-2d4a-4c8b-9e7f-1a2b3c4d5e6f';
const ofIssue = { issueId, projectId };
const raise = (overrides: Partial<RaiseIssue['data']> = {}): RaiseIssue => ({
  type: 'RaiseIssue',
  data: { ...ofIssue, title: 'Appliances late', description: 'Delivery moved to June', severity: 'high', source: { type: 'direct' }, ...overrides },
  metadata: meta,
});
const raised = (overrides: Partial<IssueRaised['data']> = {}): IssueRaised => ({
  type: 'IssueRaised',
  data: { ...ofIssue, title: 'Appliances late', description: 'Delivery moved to June', severity: 'high', ownerId: null, dueOn: null, source: { type: 'direct' }, raisedBy: meta.actor, raisedAt: now, ...overrides },
});
const resolved: IssueEvent = { type: 'IssueResolved', data: { ...ofIssue, resolution: 'Cut-over moved', resolvedBy: meta.actor, resolvedAt: now } };
const resolve = (resolution: string) => ({ type: 'ResolveIssue', data: { issueId, resolution }, metadata: meta }) as const;
const linkTo = (id: string) => ({ type: 'LinkIssueToChangeRequest', data: { issueId, changeRequestId: id }, metadata: meta }) as const;

describe('Issue', () => {
  it('names its stream issue:<tenant>:<id>', () => {
    expect(issueStreamId('acme', issueId)).toBe(`issue:acme:${issueId}`);
  });

  describe('RaiseIssue', () => {
    it('raises an issue directly, with severity, owner and due date', () => {
      spec.given([]).when(raise({ ownerId: 'user:owner-1', dueOn: '2026-04-01' })).then([raised({ ownerId: 'user:owner-1', dueOn: '2026-04-01' })]);
    });

    it('raises the issue of an occurred risk with the risk as its source', () => {
      const occurred: RiskOccurred = {
        type: 'RiskOccurred',
        data: { riskId, projectId, kind: 'threat', title: 'Vendor late', occurredOn: '2026-03-02', description: 'Delivery moved', recordedBy: meta.actor, recordedAt: now },
      };
      const command = raiseIssueFromOccurredRisk(occurred, { issueId, severity: 'critical', ownerId: 'user:owner-1', dueOn: null }, meta);
      spec
        .given([])
        .when(command)
        .then([raised({ title: 'Vendor late', description: 'Delivery moved', severity: 'critical', ownerId: 'user:owner-1', source: { type: 'risk', riskId } })]);
    });

    it('changes nothing when the same issue is raised again (a retried plan)', () => {
      spec.given([raised()]).when(raise()).thenNothingHappens();
    });

    it('rejects another issue under a taken id, a blank title, an unknown severity or source', () => {
      spec.given([raised()]).when(raise({ title: 'Something else' })).thenRejects('ISSUE_ALREADY_RAISED', 'conflict');
      spec.given([]).when(raise({ title: ' ' })).thenRejects('TEXT_REQUIRED', 'invalid');
      spec.given([]).when(raise({ severity: 'severe' as never })).thenRejects('ISSUE_SEVERITY_INVALID', 'invalid');
      spec.given([]).when(raise({ source: { type: 'email' } as never })).thenRejects('ISSUE_SOURCE_INVALID', 'invalid');
      spec.given([]).when(raise({ source: { type: 'risk', riskId: 'constructor' } as never })).thenRejects('INVALID_ID', 'invalid');
    });
  });

  describe('ResolveIssue', () => {
    it('resolves an open issue', () => {
      spec.given([raised()]).when(resolve(' Cut-over moved ')).then([resolved]);
    });

    it('changes nothing when resolved again the same way', () => {
      spec.given([raised(), resolved]).when(resolve('Cut-over moved')).thenNothingHappens();
    });

    it('rejects another resolution, a blank one and a missing issue', () => {
      spec.given([raised(), resolved]).when(resolve('Something else')).thenRejects('ISSUE_ALREADY_RESOLVED', 'conflict');
      spec.given([raised()]).when(resolve('  ')).thenRejects('TEXT_REQUIRED');
      spec.given([]).when(resolve('Done')).thenRejects('ISSUE_NOT_FOUND', 'not-found');
    });
  });

  describe('LinkIssueToChangeRequest', () => {
    const linked: IssueEvent = { type: 'IssueLinkedToChangeRequest', data: { ...ofIssue, changeRequestId, linkedBy: meta.actor, linkedAt: now } };

    it('links the change request that answers the issue, before or after it is resolved', () => {
      spec.given([raised()]).when(linkTo(changeRequestId)).then([linked]);
      spec.given([raised(), resolved]).when(linkTo(changeRequestId)).then([linked]);
    });

    it('changes nothing when the change request is already linked', () => {
      spec.given([raised(), linked]).when(linkTo(changeRequestId)).thenNothingHappens();
    });

    it('rejects an id that is not a change request id and a missing issue', () => {
      spec.given([raised()]).when(linkTo('CR-12')).thenRejects('INVALID_ID', 'invalid');
      spec.given([]).when(linkTo(changeRequestId)).thenRejects('ISSUE_NOT_FOUND', 'not-found');
    });
  });
});
