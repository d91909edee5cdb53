import { randomUUID } from 'node:crypto';
import { contractRegistry } from '@pm/contracts';
import { validateEvent } from '@pm/platform/event-store';
import {
  commentDecider,
  escalationChainDecider,
  escalationDecider,
  inboxDecider,
  notificationDecider,
  routeEvent,
  stakeholderRegisterDecider,
  tenantNotificationSettingsDecider,
  userPreferencesDecider,
  webhookEndpointDecider,
} from '@pm/notification/domain';
import type { IncomingEvent } from '@pm/notification/domain';

/**
 * The write path refuses (500 EVENT_CONTRACT_VIOLATION) any event whose data does not parse under the latest contract
 * of `pm.notification.<type>`. The notification service does not exist yet (issue 12's next step), so this drives every
 * decider of the domain through one story and puts everything they emit through that same check: each must pass,
 * unchanged. E-mail and webhook delivery logs are written by the service's workers, not by these deciders.
 */
describe('Notification domain events match their public contracts', () => {
  const emitted: Array<{ type: string; data: unknown }> = [];
  const at = (minutes: number) => new Date(Date.parse('2026-03-29T00:30:00.000Z') + minutes * 60_000).toISOString();
  const by = (userId: string, minutes = 0) => ({ now: at(minutes), actor: `user:${userId}`, tenantId: 't' });
  const service = (minutes = 0) => ({ now: at(minutes), actor: 'service:notification-service', tenantId: 't' });

  function run<C, E extends { type: string; data: unknown }, S>(decider: { decide(c: C, s: S): E[]; evolve(s: S, e: E): S; initialState(): S }, commands: C[]): S {
    let state = decider.initialState();
    for (const c of commands) {
      for (const event of decider.decide(c, state)) {
        emitted.push(event);
        state = decider.evolve(state, event);
      }
    }
    return state;
  }

  beforeAll(() => {
    const projectId = randomUUID();
    const userId = 'constructor';
    const preferences = run(userPreferencesDecider, [
      { type: 'StartUserSubscription', data: { userId, subscriptionId: '__proto__', scope: { kind: 'project', projectId }, eventTypes: ['pm.risk.*'], minSeverity: 'low' }, metadata: by(userId) },
      { type: 'SetChannelPreference', data: { userId, eventType: null, inApp: true, email: 'immediately' }, metadata: by(userId) },
      { type: 'SetTimeZone', data: { userId, timeZone: 'Europe/Berlin' }, metadata: by(userId) },
      { type: 'SetQuietHours', data: { userId, quietHours: { from: '01:00', to: '02:30' } }, metadata: by(userId) },
      { type: 'SetDigestCadence', data: { userId, cadence: 'weekly', at: '08:00', weekday: 1 }, metadata: by(userId) },
      { type: 'EndUserSubscription', data: { userId, subscriptionId: '__proto__' }, metadata: by(userId) },
      { type: 'StartUserSubscription', data: { userId, subscriptionId: 'risks', scope: { kind: 'tenant' }, eventTypes: ['pm.risk.*'], minSeverity: 'low' }, metadata: by(userId) },
    ]);
    const settings = run(tenantNotificationSettingsDecider, [
      { type: 'StartRoleSubscription', data: { subscriptionId: 'team', role: 'team-member', scope: { kind: 'own-projects' }, eventTypes: ['pm.planning.TaskStarted'], minSeverity: 'low' }, metadata: by('pmo-1') },
      { type: 'EndRoleSubscription', data: { subscriptionId: 'default:pmo-admin:change-requests' }, metadata: by('pmo-1') },
      { type: 'SetEscalationTimeout', data: { ackWithinMinutes: 15 }, metadata: by('pmo-1') },
    ]);
    const event: IncomingEvent = {
      eventId: randomUUID(),
      type: 'pm.risk.RiskAssessed',
      severity: 'critical',
      projectId,
      subject: { kind: 'risk', id: randomUUID(), projectId },
      title: 'Risk "Vendor late" rated critical',
      occurredAt: at(0),
      actor: 'user:pm-1',
    };
    const routes = routeEvent({ event, people: [{ userId, roles: new Set(['viewer']), ownProjects: new Set() }], settings, preferences: new Map([[userId, preferences]]), now: at(0) });
    expect(routes.map((r) => r.delivery)).toEqual([{ mode: 'now' }, { mode: 'at', at: '2026-03-29T01:00:00.000Z' }]);
    for (const route of routes) {
      const notificationId = route.notificationId;
      run(notificationDecider, [
        { type: 'CreateNotification', data: { route, event }, metadata: service() },
        { type: 'DeliverNotification', data: { notificationId, emailId: route.channel === 'email' ? randomUUID() : null }, metadata: service(1) },
        { type: 'ReadNotification', data: { notificationId }, metadata: by(userId, 2) },
        { type: 'ArchiveNotification', data: { notificationId }, metadata: by(userId, 3) },
      ]);
    }
    run(inboxDecider, [{ type: 'MarkAllRead', data: { recipientId: userId }, metadata: by(userId, 4) }]);
    const chain = run(escalationChainDecider, [{ type: 'DefineEscalationChain', data: { projectId, chain: ['deputy', '__proto__'] }, metadata: by('pmo-1') }]);
    const escalationId = event.eventId;
    run(escalationDecider, [
      { type: 'StartEscalation', data: { escalationId, projectId, severity: 'critical', subject: event.subject, title: event.title, notified: [userId], chain: [...chain.chain], ackWithinMinutes: 15 }, metadata: service() },
      { type: 'CheckEscalation', data: { escalationId, ackWithinMinutes: 15 }, metadata: service(15) },
      { type: 'CheckEscalation', data: { escalationId, ackWithinMinutes: 15 }, metadata: service(30) },
      { type: 'CheckEscalation', data: { escalationId, ackWithinMinutes: 15 }, metadata: service(45) },
      { type: 'AcknowledgeNotification', data: { escalationId, userId: 'deputy' }, metadata: by('deputy', 50) },
    ]);
    const commentId = randomUUID();
    run(commentDecider, [
      { type: 'PostComment', data: { commentId, projectId, on: { kind: 'change-request', id: randomUUID() }, body: '<@deputy> please look', replyTo: randomUUID() }, metadata: by('pm-1') },
      { type: 'EditComment', data: { commentId, body: '<@deputy> <@__proto__> please look' }, metadata: by('pm-1', 1) },
      { type: 'DeleteComment', data: { commentId, actorRoles: ['pmo-admin'] }, metadata: by('pmo-1', 2) },
    ]);
    const stakeholder = { stakeholderId: 'constructor', name: 'Dana Whitfield', role: 'Sponsor', organisation: null, interest: 'high' as const, influence: 'medium' as const, preferredChannel: 'email' as const, userId: '__proto__' };
    const communication = { communicationId: '__proto__', report: 'status-summary' as const, audience: { stakeholders: ['constructor'], roles: ['project-manager' as const] }, cadence: { every: 'week' as const, at: '08:00', weekday: 1, timeZone: 'Europe/Berlin' } };
    run(stakeholderRegisterDecider, [
      { type: 'RegisterStakeholder', data: { projectId, ...stakeholder }, metadata: by('pm-1') },
      { type: 'ReviseStakeholder', data: { projectId, ...stakeholder, interest: 'low' }, metadata: by('pm-1', 1) },
      { type: 'PlanCommunication', data: { projectId, ...communication }, metadata: by('pm-1', 2) },
      { type: 'RecordCommunicationSent', data: { projectId, communicationId: '__proto__', dueAt: at(60), recipients: ['__proto__', 'pm-1'], unreachable: [], changes: 4 }, metadata: service(60) },
      { type: 'CancelCommunication', data: { projectId, communicationId: '__proto__' }, metadata: by('pm-1', 61) },
      { type: 'RemoveStakeholder', data: { projectId, stakeholderId: 'constructor' }, metadata: by('pm-1', 62) },
    ]);
    const endpointId = randomUUID();
    const configuration = { url: 'https://erp.example.com/hooks', description: null, eventTypes: ['pm.planning.*'], orderedBySubject: false, privateAddressesAllowed: false };
    run(webhookEndpointDecider, [
      { type: 'RegisterWebhookEndpoint', data: { endpointId, ...configuration, key: { keyId: 'whk_1', fingerprint: 'sha256:0123456789abcdef' } }, metadata: by('pmo-1') },
      { type: 'ReconfigureWebhookEndpoint', data: { endpointId, ...configuration, orderedBySubject: true, description: 'ERP' }, metadata: by('pmo-1') },
      { type: 'RecordWebhookFailures', data: { endpointId, consecutiveFailures: 25 }, metadata: service() },
      { type: 'EnableWebhookEndpoint', data: { endpointId }, metadata: by('pmo-1') },
      { type: 'RotateWebhookSecret', data: { endpointId, key: { keyId: 'whk_2', fingerprint: 'sha256:fedcba9876543210' } }, metadata: by('pmo-1') },
      { type: 'RemoveWebhookEndpoint', data: { endpointId }, metadata: by('pmo-1') },
    ]);
  });

  it('covers every notification contract but the delivery logs the service workers write', () => {
    const types = new Set(emitted.map((e) => `pm.notification.${e.type}`));
    const workers = /^pm\.notification\.(Email|WebhookDelivery)/;
    expect(contractRegistry.all().filter((c) => c.context === 'notification' && !workers.test(c.type)).map((c) => c.type).filter((t) => !types.has(t))).toEqual([]);
  });

  it("passes every emitted event through the write path's contract check, unchanged", () => {
    for (const event of emitted) {
      const checked = validateEvent('notification', event);
      expect({ type: event.type, data: checked.data }).toEqual({ type: event.type, data: event.data });
      expect(checked.schemaVersion).toBe(contractRegistry.latest(`pm.notification.${event.type}`).version);
    }
  });
});
