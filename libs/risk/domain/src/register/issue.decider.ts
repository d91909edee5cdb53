import { conflict, ignoreUnknownEvent, invalid, notFound, sameValue, unknownCommand } from '@pm/shared/ddd';
import type { CommandMetadata } from '@pm/shared/ddd';
import { capMustNotBeReached, optionalDate, optionalText, requiredText, uuidMustBeValid } from './register.rules';
import { RISK_RATINGS } from './risk-matrix';
import type { IssueEvent, IssueLinkedToChangeRequest, IssueRaised, IssueResolved, IssueSeverity, IssueSource, RiskOccurred } from './risk-register.events';
import type { IssueId } from './risk.ids';

/** The issue log (stream `issue:<tenant>:<issueId>`): raised directly or from an occurred risk, resolved, answered by change requests. */

export interface RaiseIssue {
  readonly type: 'RaiseIssue';
  readonly data: {
    readonly issueId: IssueId;
    readonly projectId: string;
    readonly title: string;
    readonly description: string;
    readonly severity: IssueSeverity;
    readonly ownerId?: string | null;
    readonly dueOn?: string | null;
    readonly source: IssueSource;
  };
  readonly metadata: CommandMetadata;
}
export interface ResolveIssue {
  readonly type: 'ResolveIssue';
  readonly data: { readonly issueId: IssueId; readonly resolution: string };
  readonly metadata: CommandMetadata;
}
export interface LinkIssueToChangeRequest {
  readonly type: 'LinkIssueToChangeRequest';
  readonly data: { readonly issueId: IssueId; readonly changeRequestId: string };
  readonly metadata: CommandMetadata;
}
export type IssueCommand = RaiseIssue | ResolveIssue | LinkIssueToChangeRequest;

type Raised = Omit<IssueRaised['data'], 'raisedBy' | 'raisedAt'>;
export type IssueState =
  | { readonly status: 'not-raised' }
  | { status: 'open' | 'resolved'; readonly issue: Raised; resolution: string | null; readonly changeRequests: Set<string> };

export const initialIssueState = (): IssueState => ({ status: 'not-raised' });
export const MAX_LINKED_CHANGE_REQUESTS = 50;

/** The command the service sends the issue log when a threat occurs; the issue's severity is the risk's rating. */
export function raiseIssueFromOccurredRisk(occurred: RiskOccurred, issue: { issueId: IssueId; severity: IssueSeverity; ownerId: string | null; dueOn: string | null }, metadata: CommandMetadata): RaiseIssue {
  const { riskId, projectId, title, description } = occurred.data;
  return { type: 'RaiseIssue', data: { ...issue, projectId, title, description, source: { type: 'risk', riskId } }, metadata };
}

function sourceOf(source: IssueSource): IssueSource {
  if (source?.type === 'direct') return { type: 'direct' };
  if (source?.type === 'risk') return { type: 'risk', riskId: uuidMustBeValid('source.riskId', source.riskId) };
  throw invalid('ISSUE_SOURCE_INVALID', 'An issue is raised directly or from a risk');
}

function raiseIssue(command: RaiseIssue, state: IssueState): IssueRaised[] {
  const { data, metadata } = command;
  if (!RISK_RATINGS.includes(data.severity)) throw invalid('ISSUE_SEVERITY_INVALID', `Severity is one of ${RISK_RATINGS.join(', ')}`, { severity: data.severity });
  const raised: Raised = {
    issueId: uuidMustBeValid('issueId', data.issueId),
    projectId: uuidMustBeValid('projectId', data.projectId),
    title: requiredText('title', data.title, 'title'),
    description: requiredText('description', data.description, 'statement'),
    severity: data.severity,
    ownerId: optionalText('ownerId', data.ownerId, 'person'),
    dueOn: optionalDate('dueOn', data.dueOn),
    source: sourceOf(data.source),
  };
  if (state.status !== 'not-raised') {
    // A retried plan (the service raising the issue of an occurred risk again) must not fail.
    if (sameValue(state.issue, raised)) return [];
    throw conflict('ISSUE_ALREADY_RAISED', `Issue ${raised.issueId} already exists`, { issueId: raised.issueId });
  }
  return [{ type: 'IssueRaised', data: { ...raised, raisedBy: metadata.actor, raisedAt: metadata.now } }];
}

function issueMustExist(state: IssueState): asserts state is Exclude<IssueState, { status: 'not-raised' }> {
  if (state.status === 'not-raised') throw notFound('ISSUE_NOT_FOUND', 'Issue does not exist');
}

function resolveIssue(command: ResolveIssue, state: IssueState): IssueResolved[] {
  issueMustExist(state);
  const resolution = requiredText('resolution', command.data.resolution, 'statement');
  if (state.status === 'resolved') {
    if (state.resolution === resolution) return [];
    throw conflict('ISSUE_ALREADY_RESOLVED', 'The issue is already resolved', { resolution: state.resolution });
  }
  const { issueId, projectId } = state.issue;
  return [{ type: 'IssueResolved', data: { issueId, projectId, resolution, resolvedBy: command.metadata.actor, resolvedAt: command.metadata.now } }];
}

/** A change request may answer an issue before or after it is resolved; linking it twice changes nothing. */
function linkIssueToChangeRequest(command: LinkIssueToChangeRequest, state: IssueState): IssueLinkedToChangeRequest[] {
  issueMustExist(state);
  const changeRequestId = uuidMustBeValid('changeRequestId', command.data.changeRequestId);
  if (state.changeRequests.has(changeRequestId)) return [];
  capMustNotBeReached('ISSUE_CHANGE_REQUEST_LIMIT', 'change requests per issue', state.changeRequests.size, MAX_LINKED_CHANGE_REQUESTS);
  const { issueId, projectId } = state.issue;
  return [{ type: 'IssueLinkedToChangeRequest', data: { issueId, projectId, changeRequestId, linkedBy: command.metadata.actor, linkedAt: command.metadata.now } }];
}

export function decideIssue(command: IssueCommand, state: IssueState): IssueEvent[] {
  switch (command.type) {
    case 'RaiseIssue':
      return raiseIssue(command, state);
    case 'ResolveIssue':
      return resolveIssue(command, state);
    case 'LinkIssueToChangeRequest':
      return linkIssueToChangeRequest(command, state);
    default:
      return unknownCommand(command);
  }
}

export function evolveIssue(state: IssueState, event: IssueEvent): IssueState {
  if (event.type === 'IssueRaised') {
    const { raisedBy: _by, raisedAt: _at, ...issue } = event.data;
    return { status: 'open', issue, resolution: null, changeRequests: new Set() };
  }
  if (state.status === 'not-raised') return state;
  switch (event.type) {
    case 'IssueResolved':
      state.status = 'resolved';
      state.resolution = event.data.resolution;
      return state;
    case 'IssueLinkedToChangeRequest':
      state.changeRequests.add(event.data.changeRequestId);
      return state;
    default:
      return ignoreUnknownEvent(state, event);
  }
}

export const issueDecider = { decide: decideIssue, evolve: evolveIssue, initialState: initialIssueState };
