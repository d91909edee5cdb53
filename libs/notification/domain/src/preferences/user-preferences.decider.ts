import { ignoreUnknownEvent, invalid, notFound, sameValue, unknownCommand } from '@pm/shared/ddd';
import type { CommandMetadata } from '@pm/shared/ddd';
import type { ChannelPreferenceSet, DigestCadence, DigestCadenceSet, EmailMode, QuietHours, QuietHoursSet, SubscriptionEnded, SubscriptionStarted, TimeZoneSet, UserPreferencesEvent } from '../notification.events';
import { capMustNotBeReached, eventTypeFiltersMustBeValid, idMustBeValid } from '../notification.rules';
import { timeZoneMustBeKnown } from '../routing/time-zone';
import { localTimeMustBeValid } from '../routing/quiet-hours';
import { subscriptionMustBeValid } from './subscription';
import type { Subscription, SubscriptionInput } from './subscription';

/** A person's preferences (stream `notification-preferences:<tenant>:<userId>`): what they subscribed to and how they hear. */

export interface ChannelChoice {
  readonly inApp: boolean;
  readonly email: EmailMode;
}

export interface UserPreferences {
  userId: string | null;
  /** Keyed by the client's subscription id: a Map, so `constructor` is an id like any other (ADR 0008). */
  readonly subscriptions: Map<string, Subscription>;
  /** Keyed by event-type filter; the key `*` holds the person's default. */
  readonly channels: Map<string, ChannelChoice>;
  timeZone: string;
  quietHours: QuietHours | null;
  digest: { readonly cadence: DigestCadence; readonly at: string; readonly weekday: number | null };
}

export const DEFAULT_DIGEST = { cadence: 'daily', at: '08:00', weekday: null } as const;
export const DEFAULT_CHANNEL_KEY = '*';
export const MAX_USER_SUBSCRIPTIONS = 100;
export const MAX_CHANNEL_PREFERENCES = 100;

export const initialUserPreferences = (): UserPreferences => ({ userId: null, subscriptions: new Map(), channels: new Map(), timeZone: 'UTC', quietHours: null, digest: DEFAULT_DIGEST });

type Of<TType extends string, TData> = { readonly type: TType; readonly data: { readonly userId: string } & TData; readonly metadata: CommandMetadata };
export type StartUserSubscription = Of<'StartUserSubscription', SubscriptionInput>;
export type EndUserSubscription = Of<'EndUserSubscription', { readonly subscriptionId: string }>;
export type SetChannelPreference = Of<'SetChannelPreference', { readonly eventType: string | null; readonly inApp: boolean; readonly email: EmailMode }>;
export type SetTimeZone = Of<'SetTimeZone', { readonly timeZone: string }>;
export type SetQuietHours = Of<'SetQuietHours', { readonly quietHours: QuietHours | null }>;
export type SetDigestCadence = Of<'SetDigestCadence', { readonly cadence: DigestCadence; readonly at: string; readonly weekday?: number | null }>;
export type UserPreferencesCommand = StartUserSubscription | EndUserSubscription | SetChannelPreference | SetTimeZone | SetQuietHours | SetDigestCadence;

const stamp = (metadata: CommandMetadata) => ({ setBy: metadata.actor, setAt: metadata.now });

function startUserSubscription(command: StartUserSubscription, state: UserPreferences): SubscriptionStarted[] {
  const userId = idMustBeValid('userId', command.data.userId, 'userId');
  const subscription = subscriptionMustBeValid(command.data, { kind: 'user', userId });
  const existing = state.subscriptions.get(subscription.subscriptionId);
  if (existing === undefined) capMustNotBeReached('SUBSCRIPTION_LIMIT', 'subscriptions per person', state.subscriptions.size, MAX_USER_SUBSCRIPTIONS);
  if (existing !== undefined && sameValue(existing, subscription)) return [];
  return [{ type: 'SubscriptionStarted', data: { ...subscription, eventTypes: [...subscription.eventTypes], startedBy: command.metadata.actor, startedAt: command.metadata.now } }];
}

function endUserSubscription(command: EndUserSubscription, state: UserPreferences): SubscriptionEnded[] {
  const subscription = state.subscriptions.get(command.data.subscriptionId);
  if (subscription === undefined) throw notFound('SUBSCRIPTION_NOT_FOUND', 'No such subscription', { subscriptionId: String(command.data.subscriptionId).slice(0, 100) });
  return [{ type: 'SubscriptionEnded', data: { subscriptionId: subscription.subscriptionId, audience: subscription.audience, endedBy: command.metadata.actor, endedAt: command.metadata.now } }];
}

const EMAIL_MODES: ReadonlySet<string> = new Set(['immediately', 'digest', 'never']);

function setChannelPreference(command: SetChannelPreference, state: UserPreferences): ChannelPreferenceSet[] {
  const { data } = command;
  const eventType = data.eventType === null ? null : eventTypeFiltersMustBeValid([data.eventType])[0];
  if (typeof data.inApp !== 'boolean' || !EMAIL_MODES.has(data.email)) throw invalid('CHANNEL_PREFERENCE_INVALID', 'inApp is true or false; email is immediately, digest or never');
  const key = eventType ?? DEFAULT_CHANNEL_KEY;
  const existing = state.channels.get(key);
  if (existing === undefined) capMustNotBeReached('CHANNEL_PREFERENCE_LIMIT', 'channel preferences per person', state.channels.size, MAX_CHANNEL_PREFERENCES);
  if (existing !== undefined && existing.inApp === data.inApp && existing.email === data.email) return [];
  return [{ type: 'ChannelPreferenceSet', data: { userId: idMustBeValid('userId', data.userId, 'userId'), eventType, inApp: data.inApp, email: data.email, ...stamp(command.metadata) } }];
}

function setTimeZone(command: SetTimeZone, state: UserPreferences): TimeZoneSet[] {
  const timeZone = timeZoneMustBeKnown(command.data.timeZone);
  if (state.userId !== null && state.timeZone === timeZone) return [];
  return [{ type: 'TimeZoneSet', data: { userId: idMustBeValid('userId', command.data.userId, 'userId'), timeZone, ...stamp(command.metadata) } }];
}

function setQuietHours(command: SetQuietHours, state: UserPreferences): QuietHoursSet[] {
  const given = command.data.quietHours;
  const quietHours = given === null ? null : { from: localTimeMustBeValid('from', given.from), to: localTimeMustBeValid('to', given.to) };
  if (quietHours !== null && quietHours.from === quietHours.to) throw invalid('QUIET_HOURS_EMPTY', 'Quiet hours start and end at different times');
  if (sameValue(state.quietHours, quietHours)) return [];
  return [{ type: 'QuietHoursSet', data: { userId: idMustBeValid('userId', command.data.userId, 'userId'), quietHours, ...stamp(command.metadata) } }];
}

function setDigestCadence(command: SetDigestCadence, state: UserPreferences): DigestCadenceSet[] {
  const { cadence } = command.data;
  const weekday = command.data.weekday ?? null;
  if (cadence !== 'daily' && cadence !== 'weekly') throw invalid('DIGEST_CADENCE_INVALID', 'A digest is daily or weekly');
  if (cadence === 'weekly' && !(Number.isInteger(weekday) && weekday !== null && weekday >= 1 && weekday <= 7)) {
    throw invalid('DIGEST_WEEKDAY_REQUIRED', 'A weekly digest names its weekday, 1 (Monday) to 7');
  }
  if (cadence === 'daily' && weekday !== null) throw invalid('DIGEST_WEEKDAY_UNEXPECTED', 'A daily digest has no weekday');
  const digest = { cadence, at: localTimeMustBeValid('at', command.data.at), weekday };
  if (sameValue(state.digest, digest)) return [];
  return [{ type: 'DigestCadenceSet', data: { userId: idMustBeValid('userId', command.data.userId, 'userId'), ...digest, ...stamp(command.metadata) } }];
}

export function decideUserPreferences(command: UserPreferencesCommand, state: UserPreferences): UserPreferencesEvent[] {
  switch (command.type) {
    case 'StartUserSubscription':
      return startUserSubscription(command, state);
    case 'EndUserSubscription':
      return endUserSubscription(command, state);
    case 'SetChannelPreference':
      return setChannelPreference(command, state);
    case 'SetTimeZone':
      return setTimeZone(command, state);
    case 'SetQuietHours':
      return setQuietHours(command, state);
    case 'SetDigestCadence':
      return setDigestCadence(command, state);
    default:
      return unknownCommand(command);
  }
}

/** Updates the state in place (ADR 0008). */
export function evolveUserPreferences(state: UserPreferences, event: UserPreferencesEvent): UserPreferences {
  switch (event.type) {
    case 'SubscriptionStarted': {
      const { subscriptionId, audience, scope, eventTypes, minSeverity } = event.data;
      if (audience.kind === 'user') state.userId = audience.userId;
      state.subscriptions.set(subscriptionId, { subscriptionId, audience, scope, eventTypes, minSeverity });
      return state;
    }
    case 'SubscriptionEnded':
      state.subscriptions.delete(event.data.subscriptionId);
      return state;
    case 'ChannelPreferenceSet':
      state.userId = event.data.userId;
      state.channels.set(event.data.eventType ?? DEFAULT_CHANNEL_KEY, { inApp: event.data.inApp, email: event.data.email });
      return state;
    case 'TimeZoneSet':
      state.userId = event.data.userId;
      state.timeZone = event.data.timeZone;
      return state;
    case 'QuietHoursSet':
      state.userId = event.data.userId;
      state.quietHours = event.data.quietHours;
      return state;
    case 'DigestCadenceSet': {
      const { userId, cadence, at, weekday } = event.data;
      state.userId = userId;
      state.digest = { cadence, at, weekday };
      return state;
    }
    default:
      return ignoreUnknownEvent(state, event);
  }
}

export const userPreferencesDecider = { decide: decideUserPreferences, evolve: evolveUserPreferences, initialState: initialUserPreferences };
