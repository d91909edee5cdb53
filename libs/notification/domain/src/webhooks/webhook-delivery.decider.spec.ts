import { deciderSpecification } from '@pm/shared/ddd/testing';
import { now } from '../notification.spec-fixtures';
import { webhookDeliveryDecider } from './webhook-delivery.decider';
import type { RecordWebhookAttempt, WebhookDeliveryEvent } from './webhook-delivery.decider';

const spec = deciderSpecification(webhookDeliveryDecider);
const ids = { deliveryId: 'd1d2d3d4-a7b8-4c9d-8e1f-2a3b4c5d6e7f', endpointId: 'c3d4e5f6-a7b8-4c9d-8e1f-2a3b4c5d6e7f', eventId: 'e1e2e3e4-a7b8-4c9d-8e1f-2a3b4c5d6e7f', eventType: 'pm.planning.TaskStarted' };
const metadata = { now, actor: 'service:notification-service', tenantId: 'tenant-1' };
const next = '2026-03-03T09:00:06.000Z';
const record = (attempt: number, status: number | null, extra: Partial<RecordWebhookAttempt['data']> = {}): RecordWebhookAttempt => ({
  type: 'RecordWebhookAttempt',
  data: { ...ids, attempt, status, error: status === null ? 'timeout' : null, durationMs: 12, responseBody: status === null ? null : 'body', nextAttemptAt: next, endpointDisabled: false, ...extra },
  metadata,
});
const outcome = (attempt: number, status: number | null) => ({ ...ids, attempt, status, error: status === null ? 'timeout' : null, durationMs: 12, responseBody: status === null ? null : 'body' });
const attempted1: WebhookDeliveryEvent = { type: 'WebhookDeliveryAttempted', data: { ...outcome(1, 503), nextAttemptAt: next, attemptedAt: now } };

describe('A webhook delivery', () => {
  it('succeeds on a 2xx, once', () => {
    const succeeded: WebhookDeliveryEvent = { type: 'WebhookDeliverySucceeded', data: { ...outcome(2, 204), succeededAt: now } };
    spec.given([attempted1]).when(record(2, 204)).then([succeeded]);
    spec.given([attempted1, succeeded]).when(record(2, 204)).thenNothingHappens();
  });

  it('is attempted again after a failure, and fails for good when the window is over, on 410, or when it disabled the endpoint', () => {
    spec.given([]).when(record(1, 503)).then([attempted1]);
    spec.given([]).when(record(1, null, { nextAttemptAt: null })).then([{ type: 'WebhookDeliveryFailed', data: { ...outcome(1, null), reason: 'retries-exhausted', failedAt: now } }]);
    spec.given([]).when(record(1, 410)).then([{ type: 'WebhookDeliveryFailed', data: { ...outcome(1, 410), reason: 'endpoint-gone', failedAt: now } }]);
    spec.given([]).when(record(1, 500, { endpointDisabled: true })).then([{ type: 'WebhookDeliveryFailed', data: { ...outcome(1, 500), reason: 'endpoint-disabled', failedAt: now } }]);
  });

  it('cuts the response body, and refuses a skipped attempt number, an attempt past the bound and a status with an error', () => {
    const [event] = webhookDeliveryDecider.decide(record(1, 500, { responseBody: 'x'.repeat(5000) }), webhookDeliveryDecider.initialState());
    expect(event.data.responseBody).toHaveLength(1024);
    spec.given([]).when(record(3, 500)).thenRejects('WEBHOOK_ATTEMPT_OUT_OF_ORDER', 'conflict');
    spec.given([]).when(record(101, 500)).thenRejects('WEBHOOK_ATTEMPTS_EXHAUSTED');
    spec.given([]).when(record(1, 500, { error: 'both' })).thenRejects('WEBHOOK_OUTCOME_INVALID');
  });
});
