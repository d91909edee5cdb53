import { deciderSpecification } from '@pm/shared/ddd/testing';
import type { WebhookEndpointEvent } from '../notification.events';
import { meta, now } from '../notification.spec-fixtures';
import { DISABLE_AFTER_CONSECUTIVE_FAILURES, endpointWants, signingKeyIdsAt, webhookEndpointDecider } from './webhook-endpoint.decider';
import type { ConfigurationInput, WebhookEndpointCommand } from './webhook-endpoint.decider';

const spec = deciderSpecification(webhookEndpointDecider);
const endpointId = 'c3d4e5f6-a7b8-4c9d-8e1f-2a3b4c5d6e7f';
const key1 = { keyId: 'whk_1', fingerprint: 'sha256:3f9a0c1b2d4e5f60' };
const key2 = { keyId: 'whk_2', fingerprint: 'sha256:7b1e2d3c4f5a6b70' };
const configuration = { url: 'https://erp.example.com/hooks/pm', description: 'ERP sync', eventTypes: ['pm.planning.*'], orderedBySubject: true, privateAddressesAllowed: false };
const command = <C extends WebhookEndpointCommand>(type: C['type'], data: Omit<C['data'], 'endpointId'> = {} as never, metadata = meta): C => ({ type, data: { endpointId, ...data }, metadata }) as unknown as C;
const register = (overrides: Partial<ConfigurationInput> = {}) => command('RegisterWebhookEndpoint', { ...configuration, ...overrides, key: key1 });
const registered: WebhookEndpointEvent = { type: 'WebhookEndpointRegistered', data: { endpointId, ...configuration, key: key1, registeredBy: meta.actor, registeredAt: now } };
const service = { ...meta, actor: 'service:notification-service' };
const disabledByFailures: WebhookEndpointEvent = {
  type: 'WebhookEndpointDisabled',
  data: { endpointId, reason: 'consecutive-failures', consecutiveFailures: DISABLE_AFTER_CONSECUTIVE_FAILURES, disabledBy: service.actor, disabledAt: now },
};
const rotated: WebhookEndpointEvent = {
  type: 'WebhookSecretRotated',
  data: { endpointId, key: key2, previousKeyId: 'whk_1', previousValidUntil: '2026-03-04T09:00:00.000Z', rotatedBy: meta.actor, rotatedAt: now },
};

describe('A webhook endpoint', () => {
  describe('RegisterWebhookEndpoint', () => {
    it('registers with filters and a key named by id and fingerprint', () => {
      spec.given([]).when(register()).then([registered]);
      spec.given([registered]).when(register()).thenNothingHappens();
      spec.given([registered]).when(register({ url: 'https://other.example.com/' })).thenRejects('WEBHOOK_ENDPOINT_ID_TAKEN', 'conflict');
    });

    it('refuses URLs with credentials, other schemes, over-long ones, and a secret where a fingerprint belongs', () => {
      for (const url of ['https://user:pw@erp.example.com/', 'file:///etc/passwd', 'gopher://x', `https://e.com/${'a'.repeat(2000)}`, 'https://exa mple.com/']) {
        spec.given([]).when(register({ url })).thenRejects('WEBHOOK_URL_INVALID', 'invalid');
      }
      spec.given([]).when(command('RegisterWebhookEndpoint', { ...configuration, key: { keyId: 'whk_1', fingerprint: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' } })).thenRejects('WEBHOOK_KEY_INVALID');
      spec.given([]).when(register({ eventTypes: [] })).thenRejects('EVENT_TYPES_REQUIRED');
    });
  });

  it('is reconfigured as a whole, and not when nothing changes', () => {
    spec.given([registered]).when(command('ReconfigureWebhookEndpoint', { ...configuration, eventTypes: ['pm.risk.*'] })).then([
      { type: 'WebhookEndpointReconfigured', data: { endpointId, ...configuration, eventTypes: ['pm.risk.*'], reconfiguredBy: meta.actor, reconfiguredAt: now } },
    ]);
    spec.given([registered]).when(command('ReconfigureWebhookEndpoint', configuration)).thenNothingHappens();
    spec.given([]).when(command('ReconfigureWebhookEndpoint', configuration)).thenRejects('WEBHOOK_ENDPOINT_NOT_FOUND', 'not-found');
  });

  describe('disabling and enabling', () => {
    it('is disabled after too many failures in a row, not before, and once', () => {
      spec.given([registered]).when(command('RecordWebhookFailures', { consecutiveFailures: DISABLE_AFTER_CONSECUTIVE_FAILURES - 1 }, service)).thenNothingHappens();
      spec.given([registered]).when(command('RecordWebhookFailures', { consecutiveFailures: DISABLE_AFTER_CONSECUTIVE_FAILURES }, service)).then([disabledByFailures]);
      spec.given([registered, disabledByFailures]).when(command('RecordWebhookFailures', { consecutiveFailures: 99 }, service)).thenNothingHappens();
      spec.given([registered]).when(command('RecordWebhookFailures', { consecutiveFailures: -1 }, service)).thenRejects('WEBHOOK_FAILURE_COUNT_INVALID');
    });

    it('is disabled and enabled by hand, each once', () => {
      const manual: WebhookEndpointEvent = { type: 'WebhookEndpointDisabled', data: { endpointId, reason: 'manual', consecutiveFailures: 0, disabledBy: meta.actor, disabledAt: now } };
      spec.given([registered]).when(command('DisableWebhookEndpoint')).then([manual]);
      spec.given([registered, manual]).when(command('DisableWebhookEndpoint')).thenNothingHappens();
      spec.given([registered, disabledByFailures]).when(command('EnableWebhookEndpoint')).then([{ type: 'WebhookEndpointEnabled', data: { endpointId, enabledBy: meta.actor, enabledAt: now } }]);
      spec.given([registered]).when(command('EnableWebhookEndpoint')).thenNothingHappens();
    });
  });

  describe('RotateWebhookSecret', () => {
    it('signs with both keys during the overlap, with the new one only after it', () => {
      spec.given([registered]).when(command('RotateWebhookSecret', { key: key2 })).then([rotated]);
      const state = spec.given([registered, rotated]).state;
      expect(signingKeyIdsAt(state, '2026-03-04T08:59:59.000Z')).toEqual(['whk_2', 'whk_1']);
      expect(signingKeyIdsAt(state, '2026-03-04T09:00:00.000Z')).toEqual(['whk_2']);
    });

    it('changes nothing for the current key, refuses a reused key id and a silly overlap', () => {
      spec.given([registered, rotated]).when(command('RotateWebhookSecret', { key: key2 })).thenNothingHappens();
      spec.given([registered, rotated]).when(command('RotateWebhookSecret', { key: { keyId: 'whk_1', fingerprint: 'sha256:0000000000000000' } })).thenRejects('WEBHOOK_KEY_ID_TAKEN', 'conflict');
      spec.given([registered]).when(command('RotateWebhookSecret', { key: key2, overlapMinutes: 60 * 24 * 30 })).thenRejects('WEBHOOK_ROTATION_OVERLAP_INVALID');
    });
  });

  it('is removed once, after which it is found no more and wants nothing', () => {
    const removed: WebhookEndpointEvent = { type: 'WebhookEndpointRemoved', data: { endpointId, removedBy: meta.actor, removedAt: now } };
    spec.given([registered]).when(command('RemoveWebhookEndpoint')).then([removed]);
    spec.given([registered, removed]).when(command('RemoveWebhookEndpoint')).thenNothingHappens();
    spec.given([]).when(command('RemoveWebhookEndpoint')).thenRejects('WEBHOOK_ENDPOINT_NOT_FOUND', 'not-found');
    spec.given([registered, removed]).when(command('EnableWebhookEndpoint')).thenRejects('WEBHOOK_ENDPOINT_NOT_FOUND', 'not-found');
    spec.given([registered, removed]).when(register()).thenRejects('WEBHOOK_ENDPOINT_ID_TAKEN', 'conflict');
    const state = spec.given([registered, removed]).state;
    expect([endpointWants(state, 'pm.planning.TaskStarted'), signingKeyIdsAt(state, now)]).toEqual([false, []]);
  });

  it('wants the event types of its filters only', () => {
    const state = spec.given([registered]).state;
    expect([endpointWants(state, 'pm.planning.TaskStarted'), endpointWants(state, 'pm.risk.RiskAssessed'), endpointWants(spec.given([]).state, 'pm.planning.TaskStarted')]).toEqual([true, false, false]);
  });
});
