import { deciderSpecification } from '@pm/shared/ddd/testing';
import fc from 'fast-check';
import { notificationIdOf } from '../notification.ids';
import { eventId, incoming, now, otherProjectId, person, projectId } from '../notification.spec-fixtures';
import { initialTenantNotificationSettings, tenantNotificationSettingsDecider } from '../preferences/tenant-settings.decider';
import { initialUserPreferences, userPreferencesDecider } from '../preferences/user-preferences.decider';
import type { UserPreferences, UserPreferencesCommand } from '../preferences/user-preferences.decider';
import { notificationDecider } from '../inbox/notification.decider';
import { routeEvent } from './router';
import type { IncomingEvent, Person, RoutingInput } from './router';

const pm = person('pm-1', ['project-manager'], [projectId]);
const otherPm = person('pm-2', ['project-manager'], [otherProjectId]);
const rm = person('rm-1', ['resource-manager']);
const admin = person('pmo-1', ['pmo-admin']);
const member = person('tm-1', ['team-member'], [projectId]);
const everyone = [pm, otherPm, rm, admin, member];

function preferencesOf(userId: string, ...commands: Array<Omit<UserPreferencesCommand, 'metadata'>>): UserPreferences {
  const state = initialUserPreferences();
  for (const command of commands) {
    for (const event of userPreferencesDecider.decide({ ...command, data: { ...command.data, userId }, metadata: { now, actor: `user:${userId}`, tenantId: 't' } } as UserPreferencesCommand, state)) {
      userPreferencesDecider.evolve(state, event);
    }
  }
  return state;
}

const input = (event: IncomingEvent, overrides: Partial<RoutingInput> = {}): RoutingInput => ({
  event,
  people: everyone,
  settings: initialTenantNotificationSettings(),
  preferences: new Map(),
  now,
  ...overrides,
});
const who = (routes: ReturnType<typeof routeEvent>) => routes.map((r) => `${r.recipientId}/${r.channel}/${r.delivery.mode}`);

describe('The router', () => {
  describe('role defaults (issue 12, point 1)', () => {
    it('tells a project manager of a critical-path slip in their own projects only', () => {
      const slip = incoming({ type: 'pm.planning.TaskScheduleChanged', severity: 'high', subject: { kind: 'task', id: 'build', projectId } });
      expect(who(routeEvent(input(slip)))).toEqual(['pm-1/in-app/now', 'pm-1/email/now']);
      expect(routeEvent(input({ ...slip, severity: 'low' }))).toEqual([]);
    });

    it('tells a project manager of a new high risk, a resource manager of over-allocations', () => {
      expect(who(routeEvent(input(incoming({ type: 'pm.risk.RiskAssessed', severity: 'critical' }))))).toEqual(['pm-1/in-app/now', 'pm-1/email/now']);
      const overallocated = incoming({ type: 'pm.resource.ResourceOverallocated', severity: 'medium', projectId: null, subject: { kind: 'resource', id: 'r-1', projectId: null } });
      expect(who(routeEvent(input(overallocated)))).toEqual(['rm-1/in-app/now', 'rm-1/email/digest']);
    });

    it('tells a pmo-admin of phase gates, change requests and portfolio alerts anywhere in the tenant', () => {
      for (const type of ['pm.planning.PhaseGateRequested', 'pm.planning.ChangeRequestRaised', 'pm.resource.BudgetThresholdExceeded', 'pm.notification.EscalationExhausted']) {
        expect(who(routeEvent(input(incoming({ type, projectId: otherProjectId }))))).toEqual(['pmo-1/in-app/now', 'pmo-1/email/now']);
      }
    });

    it('tells nobody through a default the tenant ended', () => {
      const settings = initialTenantNotificationSettings();
      tenantNotificationSettingsDecider
        .decide({ type: 'EndRoleSubscription', data: { subscriptionId: 'default:pmo-admin:phase-gates' }, metadata: { now, actor: 'user:pmo-1', tenantId: 't' } }, settings)
        .forEach((e) => tenantNotificationSettingsDecider.evolve(settings, e));
      expect(routeEvent(input(incoming(), { settings }))).toEqual([]);
    });
  });

  it('follows a person’s own subscriptions and channel choices, and names the reason', () => {
    const preferences = new Map([
      ['tm-1', preferencesOf('tm-1', { type: 'StartUserSubscription', data: { subscriptionId: 'gates', scope: { kind: 'project', projectId }, eventTypes: ['pm.planning.*'], minSeverity: 'medium' } } as never)],
      ['pmo-1', preferencesOf('pmo-1', { type: 'SetChannelPreference', data: { eventType: 'pm.planning.PhaseGateRequested', inApp: false, email: 'digest' } } as never)],
    ]);
    const routes = routeEvent(input(incoming(), { preferences }));
    expect(who(routes)).toEqual(['pmo-1/email/digest', 'tm-1/in-app/now', 'tm-1/email/now']);
    expect(routes.map((r) => r.reason)).toEqual([
      { kind: 'subscription', subscriptionId: 'default:pmo-admin:phase-gates' },
      { kind: 'subscription', subscriptionId: 'gates' },
      { kind: 'subscription', subscriptionId: 'gates' },
    ]);
  });

  it('holds e-mail until the recipient’s quiet hours end, never the inbox', () => {
    const preferences = new Map([
      ['pmo-1', preferencesOf('pmo-1', { type: 'SetTimeZone', data: { timeZone: 'Europe/Berlin' } } as never, { type: 'SetQuietHours', data: { quietHours: { from: '08:00', to: '11:00' } } } as never)],
    ]);
    const routes = routeEvent(input(incoming(), { preferences }));
    expect(routes.map((r) => r.delivery)).toEqual([{ mode: 'now' }, { mode: 'at', at: '2026-03-03T10:00:00.000Z' }]);
  });

  it('tells people mentioned in a comment, but not its author, and nobody who chose no channel', () => {
    const mention = incoming({ type: 'pm.notification.CommentPosted', severity: 'low', actor: 'user:pm-1', mentions: ['pm-1', 'rm-1', 'tm-1', 'ghost'], commentId: 'b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e' });
    const preferences = new Map([['tm-1', preferencesOf('tm-1', { type: 'SetChannelPreference', data: { eventType: null, inApp: false, email: 'never' } } as never)]]);
    const routes = routeEvent(input(mention, { preferences }));
    expect(who(routes)).toEqual(['rm-1/in-app/now', 'rm-1/email/digest']);
    expect(routes[0].reason).toEqual({ kind: 'mention', commentId: 'b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e' });
  });

  it('does not tell a person of what they did themselves', () => {
    expect(routeEvent(input(incoming({ actor: 'user:pmo-1' })))).toEqual([]);
  });

  it('derives each notification id from (event, recipient, channel)', () => {
    const routes = routeEvent(input(incoming()));
    expect(routes.map((r) => r.notificationId)).toEqual([notificationIdOf(eventId, 'pmo-1', 'in-app'), notificationIdOf(eventId, 'pmo-1', 'email')]);
    expect(new Set(routes.map((r) => r.notificationId)).size).toBe(2);
    expect(routes[0].notificationId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(notificationIdOf('a', 'b:c', 'email')).not.toBe(notificationIdOf('a:b', 'c', 'email'));
  });

  describe('properties', () => {
    const arbitraryPerson = fc
      .record({
        userId: fc.constantFrom('pm-1', 'pm-2', 'rm-1', 'pmo-1', 'tm-1', 'constructor', '__proto__'),
        roles: fc.subarray(['pmo-admin', 'project-manager', 'resource-manager', 'team-member', 'viewer'] as const),
        own: fc.subarray([projectId, otherProjectId]),
      })
      .map(({ userId, roles, own }): Person => person(userId, [...roles], own));
    const arbitraryEvent = fc.record({
      eventId: fc.uuid(),
      type: fc.constantFrom('pm.planning.PhaseGateRequested', 'pm.planning.TaskScheduleChanged', 'pm.risk.RiskAssessed', 'pm.resource.ResourceOverallocated', 'pm.risk.RiskClosed'),
      severity: fc.constantFrom('low', 'medium', 'high', 'critical' as const),
      projectId: fc.constantFrom(projectId, otherProjectId, null),
    });

    it('routes the same input to the same routes, whatever the order of the people', () => {
      fc.assert(
        fc.property(arbitraryEvent, fc.array(arbitraryPerson, { maxLength: 8 }), (facts, people) => {
          const event = incoming(facts);
          const once = routeEvent(input(event, { people }));
          expect(routeEvent(input(event, { people: [...people].reverse() }))).toEqual(once);
          expect(new Set(once.map((r) => r.notificationId)).size).toBe(once.length);
        }),
      );
    });

    it('never makes a second notification for a redelivered event', () => {
      fc.assert(
        fc.property(arbitraryEvent, fc.array(arbitraryPerson, { maxLength: 6 }), (facts, people) => {
          const event = incoming(facts);
          for (const route of routeEvent(input(event, { people }))) {
            const created = notificationDecider.decide({ type: 'CreateNotification', data: { route, event }, metadata: { now, actor: 'service:notification-service', tenantId: 't' } }, notificationDecider.initialState());
            expect(created).toHaveLength(1);
            // The same event again: routed to the same id, so the notification's own stream decides nothing.
            const again = routeEvent(input(event, { people })).find((r) => r.notificationId === route.notificationId);
            expect(again).toEqual(route);
            const spec = deciderSpecification(notificationDecider);
            spec.given(created).when({ type: 'CreateNotification', data: { route: again ?? route, event }, metadata: { now: '2026-03-04T00:00:00.000Z', actor: 'service:notification-service', tenantId: 't' } }).thenNothingHappens();
          }
        }),
        { numRuns: 50 },
      );
    });
  });
});
