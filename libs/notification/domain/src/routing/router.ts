import type { Channel, DeliveryPlan, NotificationReason, PlatformRole, Severity, SubjectLink } from '../notification.events';
import { notificationIdOf } from '../notification.ids';
import { DEFAULT_CHANNEL_KEY } from '../preferences/user-preferences.decider';
import type { ChannelChoice, UserPreferences } from '../preferences/user-preferences.decider';
import { subscriptionTakes } from '../preferences/subscription';
import type { Subscription } from '../preferences/subscription';
import { roleSubscriptionsOf } from '../preferences/tenant-settings.decider';
import type { TenantNotificationSettings } from '../preferences/tenant-settings.decider';
import { nextDeliveryAt } from './quiet-hours';

/**
 * The router: who hears of an event, on which channel, and when. Pure and deterministic — the same input gives the same
 * routes in the same order, whatever the order of the people given — and each route's notification id is derived from
 * (event id, recipient, channel), so routing a redelivered event again names the notifications that already exist.
 */

/** An event of any context as the service's classifier presents it (severity and subject are the classifier's). */
export interface IncomingEvent {
  readonly eventId: string;
  readonly type: string;
  readonly severity: Severity;
  readonly projectId: string | null;
  readonly subject: SubjectLink;
  readonly title: string;
  readonly occurredAt: string;
  /** `user:<id>` or `service:<name>`: a person is not told of what they did themselves. */
  readonly actor: string;
  /** People @mentioned by a comment: told whatever they subscribed to. */
  readonly mentions?: readonly string[];
  readonly commentId?: string;
}

/** A person of the tenant as the service's directory knows them. */
export interface Person {
  readonly userId: string;
  readonly roles: ReadonlySet<PlatformRole>;
  /** Projects the person manages (a project manager's own projects). */
  readonly ownProjects: ReadonlySet<string>;
}

export interface RoutingInput {
  readonly event: IncomingEvent;
  readonly people: readonly Person[];
  readonly settings: TenantNotificationSettings;
  /** Keyed by user id; a person without an entry has the defaults (UTC, no quiet hours, daily digest). */
  readonly preferences: ReadonlyMap<string, UserPreferences>;
  readonly now: string;
}

export interface Route {
  readonly notificationId: string;
  readonly recipientId: string;
  readonly channel: Channel;
  readonly delivery: DeliveryPlan;
  readonly reason: NotificationReason;
}

/** At most this many people hear of one event; the directory of a tenant is bounded by its contract with us anyway. */
export const MAX_RECIPIENTS_PER_EVENT = 10_000;

/** Without a choice of their own, a person gets everything in the inbox and e-mail at once from `high` up, else in the digest. */
export function builtInChannelChoice(severity: Severity): ChannelChoice {
  return { inApp: true, email: severity === 'high' || severity === 'critical' ? 'immediately' : 'digest' };
}

/** The most specific choice: the exact event type, then its context (`pm.risk.*`), then the person's default. */
export function channelChoiceFor(preferences: UserPreferences | undefined, event: IncomingEvent): ChannelChoice {
  const channels = preferences?.channels;
  const context = event.type.slice(0, event.type.lastIndexOf('.') + 1) + '*';
  return channels?.get(event.type) ?? channels?.get(context) ?? channels?.get(DEFAULT_CHANNEL_KEY) ?? builtInChannelChoice(event.severity);
}

function audienceTakes(subscription: Subscription, person: Person): boolean {
  const { audience } = subscription;
  return audience.kind === 'user' ? audience.userId === person.userId : person.roles.has(audience.role);
}

/** Why a person hears of the event: a mention first, then their own subscriptions, then their roles' (each in id order). */
function reasonFor(input: RoutingInput, person: Person, roleSubscriptions: readonly Subscription[]): NotificationReason | null {
  const { event } = input;
  if (event.commentId !== undefined && event.mentions?.includes(person.userId)) return { kind: 'mention', commentId: event.commentId };
  const own = [...(input.preferences.get(person.userId)?.subscriptions.values() ?? [])].sort((a, b) => (a.subscriptionId < b.subscriptionId ? -1 : 1));
  const facts = { type: event.type, severity: event.severity, projectId: event.projectId };
  const hit = [...own, ...roleSubscriptions].find((s) => audienceTakes(s, person) && subscriptionTakes(s, facts, person.ownProjects));
  return hit === undefined ? null : { kind: 'subscription', subscriptionId: hit.subscriptionId };
}

function emailDelivery(choice: ChannelChoice, preferences: UserPreferences | undefined, now: string): DeliveryPlan | null {
  if (choice.email === 'never') return null;
  if (choice.email === 'digest') return { mode: 'digest' };
  const at = nextDeliveryAt(preferences?.quietHours ?? null, preferences?.timeZone ?? 'UTC', now);
  return at === now ? { mode: 'now' } : { mode: 'at', at };
}

/** A directory may list a person twice (a row per role): they are one person with every role and project of theirs. */
function peopleById(list: readonly Person[]): Map<string, Person> {
  const people = new Map<string, Person>();
  for (const person of list) {
    const known = people.get(person.userId);
    people.set(
      person.userId,
      known === undefined ? person : { userId: person.userId, roles: new Set([...known.roles, ...person.roles]), ownProjects: new Set([...known.ownProjects, ...person.ownProjects]) },
    );
  }
  return people;
}

export function routeEvent(input: RoutingInput): Route[] {
  const { event, now } = input;
  const roleSubscriptions = roleSubscriptionsOf(input.settings);
  const people = peopleById(input.people);
  const routes: Route[] = [];
  const recipients = [...people.keys()].sort();
  for (const userId of recipients.slice(0, MAX_RECIPIENTS_PER_EVENT)) {
    if (event.actor === `user:${userId}`) continue;
    const person = people.get(userId) as Person;
    const reason = reasonFor(input, person, roleSubscriptions);
    if (reason === null) continue;
    const preferences = input.preferences.get(userId);
    const choice = channelChoiceFor(preferences, event);
    const route = (channel: Channel, delivery: DeliveryPlan): Route => ({ notificationId: notificationIdOf(event.eventId, userId, channel), recipientId: userId, channel, delivery, reason });
    if (choice.inApp) routes.push(route('in-app', { mode: 'now' }));
    const email = emailDelivery(choice, preferences, now);
    if (email !== null) routes.push(route('email', email));
  }
  return routes;
}

