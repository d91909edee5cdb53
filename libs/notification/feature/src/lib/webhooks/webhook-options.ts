import type { Clock } from '@pm/platform/request-context';
import { systemClock } from '@pm/platform/request-context';
import type { WebhookResolver } from './webhook-sender';
import { systemResolver } from './webhook-sender';

export const WEBHOOK_OPTIONS = Symbol('WEBHOOK_OPTIONS');
/** The scheduler kind of a delivery's next attempt; the key is the delivery id. */
export const WEBHOOK_ATTEMPT = 'webhook-attempt';
export type WebhookAttemptPayload = { readonly deliveryId: string };

export interface WebhookOptions {
  /** The delivery consumer's own group on every topic (ADR 0403): it moves at its own pace, apart from the inbox's. */
  readonly consumerGroupId: string;
  /** `WEBHOOK_SECRET_KEY`: 32 bytes, base64 or hex; a development key stands in outside production. */
  readonly secretKey: string | undefined;
  readonly production: boolean;
  /** The scheduler's clock: due times, retry times and the decided events' `now`. Signatures use the wall clock. */
  readonly clock: Clock;
  readonly resolver: WebhookResolver;
  /** One attempt's time limit (ms). */
  readonly timeoutMs: number;
  /** How long an attempt may run before its item fires again on another replica (ms); well above the timeout. */
  readonly leaseMs: number;
  /** Requests in flight from this replica, all endpoints, and per endpoint: a slow endpoint takes only its share. */
  readonly maxInFlight: number;
  readonly maxInFlightPerEndpoint: number;
}

export function webhookOptions(options: Partial<WebhookOptions> = {}): WebhookOptions {
  return {
    consumerGroupId: 'notification-service-webhooks',
    secretKey: undefined,
    production: false,
    clock: systemClock,
    resolver: systemResolver,
    timeoutMs: 10_000,
    leaseMs: 60_000,
    maxInFlight: 64,
    maxInFlightPerEndpoint: 4,
    ...options,
  };
}
