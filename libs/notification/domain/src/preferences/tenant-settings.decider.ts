import { ignoreUnknownEvent, invalid, notFound, sameValue, unknownCommand } from '@pm/shared/ddd';
import type { CommandMetadata } from '@pm/shared/ddd';
import type { EmailSender, EmailSenderSet, EscalationTimeoutSet, PlatformRole, SubscriptionEnded, SubscriptionStarted, TenantNotificationSettingsEvent } from '../notification.events';
import { capMustNotBeReached } from '../notification.rules';
import { emailSenderMustBeValid } from '../email/email-sender';
import { ROLE_DEFAULT_IDS, ROLE_DEFAULT_SUBSCRIPTIONS, subscriptionMustBeValid } from './subscription';
import type { Subscription, SubscriptionInput } from './subscription';

/**
 * A tenant's notification settings (stream `notification-settings:<tenant>:default`): subscriptions of roles, the
 * built-in defaults it ended, and how long a critical notification may wait for an acknowledgement.
 */

export interface TenantNotificationSettings {
  readonly roleSubscriptions: Map<string, Subscription>;
  readonly endedDefaults: Set<string>;
  ackWithinMinutes: number;
  /** The tenant's sender of e-mail; null: the service's configured sender. */
  emailSender: EmailSender | null;
}

export const DEFAULT_ACK_WITHIN_MINUTES = 60;
export const MAX_ROLE_SUBSCRIPTIONS = 200;
export const ACK_WITHIN_RANGE = { min: 5, max: 10_080 } as const;

export const initialTenantNotificationSettings = (): TenantNotificationSettings => ({
  roleSubscriptions: new Map(),
  endedDefaults: new Set(),
  ackWithinMinutes: DEFAULT_ACK_WITHIN_MINUTES,
  emailSender: null,
});

export interface StartRoleSubscription {
  readonly type: 'StartRoleSubscription';
  readonly data: SubscriptionInput & { readonly role: PlatformRole };
  readonly metadata: CommandMetadata;
}
export interface EndRoleSubscription {
  readonly type: 'EndRoleSubscription';
  readonly data: { readonly subscriptionId: string };
  readonly metadata: CommandMetadata;
}
export interface SetEscalationTimeout {
  readonly type: 'SetEscalationTimeout';
  readonly data: { readonly ackWithinMinutes: number };
  readonly metadata: CommandMetadata;
}
export interface SetEmailSender {
  readonly type: 'SetEmailSender';
  readonly data: EmailSender;
  readonly metadata: CommandMetadata;
}
export type TenantNotificationSettingsCommand = StartRoleSubscription | EndRoleSubscription | SetEscalationTimeout | SetEmailSender;

const ROLES: ReadonlySet<string> = new Set(['pmo-admin', 'project-manager', 'resource-manager', 'team-member', 'viewer']);

/** The role subscriptions in force: the built-in defaults the tenant did not end, then its own, in id order. */
export function roleSubscriptionsOf(settings: TenantNotificationSettings): Subscription[] {
  const defaults = ROLE_DEFAULT_SUBSCRIPTIONS.filter((s) => !settings.endedDefaults.has(s.subscriptionId));
  const own = [...settings.roleSubscriptions.values()].sort((a, b) => (a.subscriptionId < b.subscriptionId ? -1 : 1));
  return [...defaults, ...own];
}

function startRoleSubscription(command: StartRoleSubscription, state: TenantNotificationSettings): SubscriptionStarted[] {
  const { role } = command.data;
  if (!ROLES.has(role)) throw invalid('ROLE_UNKNOWN', 'No such role', { role: String(role).slice(0, 50) });
  const subscription = subscriptionMustBeValid(command.data, { kind: 'role', role });
  const existing = state.roleSubscriptions.get(subscription.subscriptionId);
  if (existing === undefined) capMustNotBeReached('SUBSCRIPTION_LIMIT', 'role subscriptions per tenant', state.roleSubscriptions.size, MAX_ROLE_SUBSCRIPTIONS);
  if (existing !== undefined && sameValue(existing, subscription)) return [];
  return [{ type: 'SubscriptionStarted', data: { ...subscription, eventTypes: [...subscription.eventTypes], startedBy: command.metadata.actor, startedAt: command.metadata.now } }];
}

function endRoleSubscription(command: EndRoleSubscription, state: TenantNotificationSettings): SubscriptionEnded[] {
  const { subscriptionId } = command.data;
  const subscription = state.roleSubscriptions.get(subscriptionId) ?? ROLE_DEFAULT_SUBSCRIPTIONS.find((s) => s.subscriptionId === subscriptionId);
  if (subscription === undefined) throw notFound('SUBSCRIPTION_NOT_FOUND', 'No such subscription', { subscriptionId: String(subscriptionId).slice(0, 100) });
  if (state.endedDefaults.has(subscriptionId)) return [];
  return [{ type: 'SubscriptionEnded', data: { subscriptionId, audience: subscription.audience, endedBy: command.metadata.actor, endedAt: command.metadata.now } }];
}

/** 5 minutes to 7 days, in whole minutes: the tenant's setting, and what an escalation is handed from it. */
export function ackWithinMustBeValid(ackWithinMinutes: number): number {
  if (!Number.isInteger(ackWithinMinutes) || ackWithinMinutes < ACK_WITHIN_RANGE.min || ackWithinMinutes > ACK_WITHIN_RANGE.max) {
    throw invalid('ESCALATION_TIMEOUT_INVALID', `Between ${ACK_WITHIN_RANGE.min} minutes and 7 days, in whole minutes`, { ...ACK_WITHIN_RANGE });
  }
  return ackWithinMinutes;
}

function setEscalationTimeout(command: SetEscalationTimeout, state: TenantNotificationSettings): EscalationTimeoutSet[] {
  const ackWithinMinutes = ackWithinMustBeValid(command.data.ackWithinMinutes);
  if (state.ackWithinMinutes === ackWithinMinutes) return [];
  return [{ type: 'EscalationTimeoutSet', data: { ackWithinMinutes, setBy: command.metadata.actor, setAt: command.metadata.now } }];
}

function setEmailSender(command: SetEmailSender, state: TenantNotificationSettings): EmailSenderSet[] {
  const sender = emailSenderMustBeValid(command.data);
  if (state.emailSender !== null && sameValue(state.emailSender, sender)) return [];
  return [{ type: 'EmailSenderSet', data: { ...sender, setBy: command.metadata.actor, setAt: command.metadata.now } }];
}

export function decideTenantNotificationSettings(command: TenantNotificationSettingsCommand, state: TenantNotificationSettings): TenantNotificationSettingsEvent[] {
  switch (command.type) {
    case 'StartRoleSubscription':
      return startRoleSubscription(command, state);
    case 'EndRoleSubscription':
      return endRoleSubscription(command, state);
    case 'SetEscalationTimeout':
      return setEscalationTimeout(command, state);
    case 'SetEmailSender':
      return setEmailSender(command, state);
    default:
      return unknownCommand(command);
  }
}

export function evolveTenantNotificationSettings(state: TenantNotificationSettings, event: TenantNotificationSettingsEvent): TenantNotificationSettings {
  switch (event.type) {
    case 'SubscriptionStarted': {
      const { subscriptionId, audience, scope, eventTypes, minSeverity } = event.data;
      state.roleSubscriptions.set(subscriptionId, { subscriptionId, audience, scope, eventTypes, minSeverity });
      return state;
    }
    case 'SubscriptionEnded':
      if (ROLE_DEFAULT_IDS.has(event.data.subscriptionId)) state.endedDefaults.add(event.data.subscriptionId);
      state.roleSubscriptions.delete(event.data.subscriptionId);
      return state;
    case 'EscalationTimeoutSet':
      state.ackWithinMinutes = event.data.ackWithinMinutes;
      return state;
    case 'EmailSenderSet': {
      const { fromName, fromAddress, replyTo } = event.data;
      state.emailSender = { fromName, fromAddress, replyTo };
      return state;
    }
    default:
      return ignoreUnknownEvent(state, event);
  }
}

export const tenantNotificationSettingsDecider = {
  decide: decideTenantNotificationSettings,
  evolve: evolveTenantNotificationSettings,
  initialState: initialTenantNotificationSettings,
};
