import { invalid } from '@pm/shared/ddd';
import type { PlatformRole, Severity, SubscriptionAudience, SubscriptionScope } from '../notification.events';
import { eventTypeFiltersMustBeValid, filterMatches, idMustBeValid, severityMustBeValid, severityRank, uuidMustBeValid } from '../notification.rules';

/** A subscription as the router reads it: who, where, which events, from which severity. */
export interface Subscription {
  readonly subscriptionId: string;
  readonly audience: SubscriptionAudience;
  readonly scope: SubscriptionScope;
  readonly eventTypes: readonly string[];
  readonly minSeverity: Severity;
}

export interface SubscriptionInput {
  readonly subscriptionId: string;
  readonly scope: SubscriptionScope;
  readonly eventTypes: readonly string[];
  readonly minSeverity: Severity;
}

/** Ids of the built-in defaults; a tenant cannot start a subscription under this prefix, only end a default. */
export const DEFAULT_SUBSCRIPTION_PREFIX = 'default:';

function scopeMustBeValid(scope: SubscriptionScope): SubscriptionScope {
  switch (scope?.kind) {
    case 'tenant':
      return { kind: 'tenant' };
    case 'own-projects':
      return { kind: 'own-projects' };
    case 'project':
      return { kind: 'project', projectId: uuidMustBeValid('scope.projectId', scope.projectId) };
    default:
      throw invalid('SUBSCRIPTION_SCOPE_INVALID', 'A scope is the tenant, a project or the person’s own projects');
  }
}

export function subscriptionMustBeValid(input: SubscriptionInput, audience: SubscriptionAudience): Subscription {
  const subscriptionId = idMustBeValid('subscriptionId', input.subscriptionId);
  if (subscriptionId.startsWith(DEFAULT_SUBSCRIPTION_PREFIX)) {
    throw invalid('SUBSCRIPTION_ID_RESERVED', `Ids starting with ${DEFAULT_SUBSCRIPTION_PREFIX} name the built-in defaults`, { subscriptionId });
  }
  return {
    subscriptionId,
    audience,
    scope: scopeMustBeValid(input.scope),
    eventTypes: eventTypeFiltersMustBeValid(input.eventTypes),
    minSeverity: severityMustBeValid(input.minSeverity),
  };
}

/** What the router asks of a subscription about one event. */
export interface EventFacts {
  readonly type: string;
  readonly severity: Severity;
  readonly projectId: string | null;
}

/** Does the subscription take the event for a person who manages `ownProjects`? (Audience is checked by the caller.) */
export function subscriptionTakes(subscription: Subscription, event: EventFacts, ownProjects: ReadonlySet<string>): boolean {
  if (severityRank(event.severity) < severityRank(subscription.minSeverity)) return false;
  if (!subscription.eventTypes.some((filter) => filterMatches(filter, event.type))) return false;
  const { scope } = subscription;
  if (scope.kind === 'tenant') return true;
  if (event.projectId === null) return false;
  return scope.kind === 'project' ? scope.projectId === event.projectId : ownProjects.has(event.projectId);
}

const byDefault = (role: PlatformRole, topic: string, scope: SubscriptionScope, eventTypes: string[], minSeverity: Severity): Subscription => ({
  subscriptionId: `${DEFAULT_SUBSCRIPTION_PREFIX}${role}:${topic}`,
  audience: { kind: 'role', role },
  scope,
  eventTypes,
  minSeverity,
});

/**
 * Issue 12, point 1: a project manager hears of every critical-path slip and new high risk in their projects; a
 * resource manager of over-allocations; a pmo-admin of phase gates awaiting approval, change requests and portfolio
 * alerts. The severities are the classifier's (the service step): a critical-path slip is `high`, a move of a task off
 * the critical path `low`; a risk rated high or critical is `high` or `critical`. A pmo-admin ends a default for the
 * tenant with SubscriptionEnded of its id.
 */
export const ROLE_DEFAULT_SUBSCRIPTIONS: readonly Subscription[] = [
  byDefault('project-manager', 'critical-path-slips', { kind: 'own-projects' }, ['pm.planning.TaskScheduleChanged', 'pm.planning.ProjectScheduleCalculated'], 'high'),
  byDefault('project-manager', 'high-risks', { kind: 'own-projects' }, ['pm.risk.RiskIdentified', 'pm.risk.RiskAssessed', 'pm.risk.IssueRaised', 'pm.risk.AutomaticRiskRaised'], 'high'),
  byDefault('resource-manager', 'over-allocations', { kind: 'tenant' }, ['pm.resource.ResourceOverallocated'], 'low'),
  byDefault('pmo-admin', 'phase-gates', { kind: 'tenant' }, ['pm.planning.PhaseGateRequested'], 'low'),
  byDefault('pmo-admin', 'change-requests', { kind: 'tenant' }, ['pm.planning.ChangeRequestRaised'], 'low'),
  byDefault(
    'pmo-admin',
    'portfolio-alerts',
    { kind: 'tenant' },
    ['pm.resource.BudgetThresholdExceeded', 'pm.notification.EscalationExhausted', 'pm.notification.WebhookEndpointDisabled'],
    'low',
  ),
];

export const ROLE_DEFAULT_IDS: ReadonlySet<string> = new Set(ROLE_DEFAULT_SUBSCRIPTIONS.map((s) => s.subscriptionId));
