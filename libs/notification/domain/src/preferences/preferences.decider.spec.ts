import { deciderSpecification } from '@pm/shared/ddd/testing';
import type { SubscriptionStarted } from '../notification.events';
import { meta, now, projectId } from '../notification.spec-fixtures';
import { ROLE_DEFAULT_SUBSCRIPTIONS } from './subscription';
import { MAX_ROLE_SUBSCRIPTIONS, roleSubscriptionsOf, tenantNotificationSettingsDecider } from './tenant-settings.decider';
import type { StartRoleSubscription } from './tenant-settings.decider';
import { MAX_USER_SUBSCRIPTIONS, userPreferencesDecider } from './user-preferences.decider';
import type { StartUserSubscription, UserPreferencesCommand } from './user-preferences.decider';

const user = deciderSpecification(userPreferencesDecider);
const tenant = deciderSpecification(tenantNotificationSettingsDecider);
const userId = 'pm-1';
const command = <C extends UserPreferencesCommand>(type: C['type'], data: Omit<C['data'], 'userId'>): C => ({ type, data: { userId, ...data }, metadata: meta }) as unknown as C;
const subscribe = (subscriptionId: string, eventTypes = ['pm.risk.*']): StartUserSubscription =>
  command('StartUserSubscription', { subscriptionId, scope: { kind: 'project', projectId }, eventTypes, minSeverity: 'medium' });
const started = (subscriptionId: string, eventTypes = ['pm.risk.*']): SubscriptionStarted => ({
  type: 'SubscriptionStarted',
  data: { subscriptionId, audience: { kind: 'user', userId }, scope: { kind: 'project', projectId }, eventTypes, minSeverity: 'medium', startedBy: meta.actor, startedAt: now },
});
const stamp = { setBy: meta.actor, setAt: now };

describe('A person’s notification preferences', () => {
  describe('StartUserSubscription', () => {
    it('subscribes a person to event types of a project from a severity', () => {
      user.given([]).when(subscribe('risks')).then([started('risks')]);
    });

    it('replaces a subscription of the same id, and changes nothing when it is the same', () => {
      user.given([started('risks')]).when(subscribe('risks', ['pm.risk.RiskAssessed'])).then([started('risks', ['pm.risk.RiskAssessed'])]);
      user.given([started('risks')]).when(subscribe('risks', ['pm.risk.*', 'pm.risk.*'])).thenNothingHappens();
    });

    it('rejects bad filters, reserved ids and a person with too many subscriptions', () => {
      user.given([]).when(subscribe('x', ['*'])).thenRejects('EVENT_TYPE_INVALID', 'invalid');
      user.given([]).when(subscribe('x', [])).thenRejects('EVENT_TYPES_REQUIRED');
      user.given([]).when(subscribe('default:pmo-admin:phase-gates')).thenRejects('SUBSCRIPTION_ID_RESERVED');
      const full = Array.from({ length: MAX_USER_SUBSCRIPTIONS }, (_, i) => started(`s${i}`));
      user.given(full).when(subscribe('one-more')).thenRejects('SUBSCRIPTION_LIMIT');
      user.given(full).when(subscribe('s1', ['pm.planning.*'])).then([started('s1', ['pm.planning.*'])]);
    });

    it('keeps ids like constructor and __proto__ as subscriptions', () => {
      const given = user.given([started('constructor'), started('__proto__')]);
      expect([...given.state.subscriptions.keys()]).toEqual(['constructor', '__proto__']);
      given.when(command('EndUserSubscription', { subscriptionId: '__proto__' })).then([
        { type: 'SubscriptionEnded', data: { subscriptionId: '__proto__', audience: { kind: 'user', userId }, endedBy: meta.actor, endedAt: now } },
      ]);
      user.given([]).when(command('EndUserSubscription', { subscriptionId: 'toString' })).thenRejects('SUBSCRIPTION_NOT_FOUND', 'not-found');
    });
  });

  describe('channels, time zone, quiet hours and digest', () => {
    it('sets a channel choice per event type or by default, once', () => {
      const choice = command('SetChannelPreference', { eventType: 'pm.risk.*', inApp: true, email: 'digest' });
      const set = { type: 'ChannelPreferenceSet' as const, data: { userId, eventType: 'pm.risk.*', inApp: true, email: 'digest' as const, ...stamp } };
      user.given([]).when(choice).then([set]);
      user.given([set]).when(choice).thenNothingHappens();
      user.given([]).when(command('SetChannelPreference', { eventType: null, inApp: false, email: 'never' })).then([
        { type: 'ChannelPreferenceSet', data: { userId, eventType: null, inApp: false, email: 'never', ...stamp } },
      ]);
      user.given([]).when(command('SetChannelPreference', { eventType: null, inApp: true, email: 'sometimes' as never })).thenRejects('CHANNEL_PREFERENCE_INVALID');
    });

    it('takes IANA zones the runtime knows', () => {
      user.given([]).when(command('SetTimeZone', { timeZone: 'Europe/Berlin' })).then([{ type: 'TimeZoneSet', data: { userId, timeZone: 'Europe/Berlin', ...stamp } }]);
      user.given([{ type: 'TimeZoneSet', data: { userId, timeZone: 'Europe/Berlin', ...stamp } }]).when(command('SetTimeZone', { timeZone: 'Europe/Berlin' })).thenNothingHappens();
      user.given([{ type: 'TimeZoneSet', data: { userId, timeZone: 'Europe/Berlin', ...stamp } }]).when(command('SetTimeZone', { timeZone: 'europe/berlin' })).thenNothingHappens();
      for (const timeZone of ['Mars/Olympus_Mons', 'Europe/../etc', '', 'constructor', '__proto__', 'Europe/Berlin\n', 'x'.repeat(65)]) {
        user.given([]).when(command('SetTimeZone', { timeZone })).thenRejects('TIME_ZONE_UNKNOWN', 'invalid');
      }
    });

    it('sets and clears quiet hours, refusing empty or malformed ones', () => {
      const quiet = { type: 'QuietHoursSet' as const, data: { userId, quietHours: { from: '22:00', to: '07:00' }, ...stamp } };
      user.given([]).when(command('SetQuietHours', { quietHours: { from: '22:00', to: '07:00' } })).then([quiet]);
      user.given([quiet]).when(command('SetQuietHours', { quietHours: { from: '22:00', to: '07:00' } })).thenNothingHappens();
      user.given([quiet]).when(command('SetQuietHours', { quietHours: null })).then([{ type: 'QuietHoursSet', data: { userId, quietHours: null, ...stamp } }]);
      user.given([]).when(command('SetQuietHours', { quietHours: { from: '07:00', to: '07:00' } })).thenRejects('QUIET_HOURS_EMPTY');
      user.given([]).when(command('SetQuietHours', { quietHours: { from: '7:00', to: '24:00' } })).thenRejects('LOCAL_TIME_INVALID');
    });

    it('sets a weekly digest with its weekday, a daily one without', () => {
      user.given([]).when(command('SetDigestCadence', { cadence: 'weekly', at: '08:30', weekday: 1 })).then([
        { type: 'DigestCadenceSet', data: { userId, cadence: 'weekly', at: '08:30', weekday: 1, ...stamp } },
      ]);
      user.given([]).when(command('SetDigestCadence', { cadence: 'daily', at: '08:00' })).thenNothingHappens();
      user.given([]).when(command('SetDigestCadence', { cadence: 'weekly', at: '08:00' })).thenRejects('DIGEST_WEEKDAY_REQUIRED');
      user.given([]).when(command('SetDigestCadence', { cadence: 'daily', at: '08:00', weekday: 3 })).thenRejects('DIGEST_WEEKDAY_UNEXPECTED');
      user.given([]).when(command('SetDigestCadence', { cadence: 'hourly' as never, at: '08:00' })).thenRejects('DIGEST_CADENCE_INVALID');
    });
  });
});

describe('A tenant’s notification settings', () => {
  const roleSubscription = (subscriptionId: string): StartRoleSubscription => ({
    type: 'StartRoleSubscription',
    data: { subscriptionId, role: 'team-member', scope: { kind: 'own-projects' }, eventTypes: ['pm.planning.TaskScheduleChanged'], minSeverity: 'high' },
    metadata: meta,
  });
  const roleStarted = (subscriptionId: string): SubscriptionStarted => ({
    type: 'SubscriptionStarted',
    data: { subscriptionId, audience: { kind: 'role', role: 'team-member' }, scope: { kind: 'own-projects' }, eventTypes: ['pm.planning.TaskScheduleChanged'], minSeverity: 'high', startedBy: meta.actor, startedAt: now },
  });

  it('starts with the built-in defaults of issue 12 for each role', () => {
    const defaults = roleSubscriptionsOf(tenant.given([]).state).map((s) => [s.subscriptionId, s.scope.kind, s.minSeverity]);
    expect(defaults).toEqual([
      ['default:project-manager:critical-path-slips', 'own-projects', 'high'],
      ['default:project-manager:high-risks', 'own-projects', 'high'],
      ['default:resource-manager:over-allocations', 'tenant', 'low'],
      ['default:pmo-admin:phase-gates', 'tenant', 'low'],
      ['default:pmo-admin:change-requests', 'tenant', 'low'],
      ['default:pmo-admin:portfolio-alerts', 'tenant', 'low'],
    ]);
  });

  it('subscribes a role, once, and caps role subscriptions', () => {
    tenant.given([]).when(roleSubscription('team-slips')).then([roleStarted('team-slips')]);
    tenant.given([roleStarted('team-slips')]).when(roleSubscription('team-slips')).thenNothingHappens();
    tenant.given([]).when({ ...roleSubscription('x'), data: { ...roleSubscription('x').data, role: 'owner' as never } }).thenRejects('ROLE_UNKNOWN');
    const full = Array.from({ length: MAX_ROLE_SUBSCRIPTIONS }, (_, i) => roleStarted(`r${i}`));
    tenant.given(full).when(roleSubscription('one-more')).thenRejects('SUBSCRIPTION_LIMIT');
  });

  it('ends a built-in default for the tenant, once', () => {
    const id = ROLE_DEFAULT_SUBSCRIPTIONS[3].subscriptionId;
    const ended = { type: 'SubscriptionEnded' as const, data: { subscriptionId: id, audience: { kind: 'role' as const, role: 'pmo-admin' as const }, endedBy: meta.actor, endedAt: now } };
    tenant.given([]).when({ type: 'EndRoleSubscription', data: { subscriptionId: id }, metadata: meta }).then([ended]);
    tenant.given([ended]).when({ type: 'EndRoleSubscription', data: { subscriptionId: id }, metadata: meta }).thenNothingHappens();
    expect(roleSubscriptionsOf(tenant.given([ended]).state).map((s) => s.subscriptionId)).not.toContain(id);
    tenant.given([]).when({ type: 'EndRoleSubscription', data: { subscriptionId: 'default:nobody:nothing' }, metadata: meta }).thenRejects('SUBSCRIPTION_NOT_FOUND');
  });

  it('sets the time a critical notification waits for an acknowledgement', () => {
    tenant.given([]).when({ type: 'SetEscalationTimeout', data: { ackWithinMinutes: 30 }, metadata: meta }).then([{ type: 'EscalationTimeoutSet', data: { ackWithinMinutes: 30, ...stamp } }]);
    tenant.given([]).when({ type: 'SetEscalationTimeout', data: { ackWithinMinutes: 60 }, metadata: meta }).thenNothingHappens();
    tenant.given([]).when({ type: 'SetEscalationTimeout', data: { ackWithinMinutes: 1 }, metadata: meta }).thenRejects('ESCALATION_TIMEOUT_INVALID');
    tenant.given([]).when({ type: 'SetEscalationTimeout', data: { ackWithinMinutes: 7.5 }, metadata: meta }).thenRejects('ESCALATION_TIMEOUT_INVALID');
  });
});
