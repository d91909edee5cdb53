import type { ContractEvent } from '@pm/contracts';
import { conflict, ignoreUnknownEvent, invalid, unknownCommand } from '@pm/shared/ddd';
import type { CommandMetadata } from '@pm/shared/ddd';

/**
 * A webhook delivery (stream `webhook-delivery:<tenant>:<deliveryId>`, the id derived from endpoint and event): the
 * log of its attempts. The worker sends, then records what came back here; the decider names the outcome — a 2xx
 * succeeded, 410 Gone or a retry window run out failed for good, a failure that disabled the endpoint failed with the
 * delivery kept for redelivery, anything else is an attempt with its next time. An attempt recorded twice (a worker
 * that crashed after its commit and ran again) decides nothing.
 */

export type WebhookDeliveryAttempted = ContractEvent<'notification', 'WebhookDeliveryAttempted'>;
export type WebhookDeliverySucceeded = ContractEvent<'notification', 'WebhookDeliverySucceeded'>;
export type WebhookDeliveryFailed = ContractEvent<'notification', 'WebhookDeliveryFailed'>;
export type WebhookDeliveryEvent = WebhookDeliveryAttempted | WebhookDeliverySucceeded | WebhookDeliveryFailed;

export interface WebhookDeliveryState {
  attempts: number;
  status: 'none' | 'retrying' | 'succeeded' | 'failed';
}

export const initialWebhookDeliveryState = (): WebhookDeliveryState => ({ attempts: 0, status: 'none' });

/** The contract's bound on attempt numbers: 24 hours of backoff take 17, which leaves room for manual redeliveries. */
export const MAX_WEBHOOK_ATTEMPTS = 100;
export const MAX_RESPONSE_BODY_CHARS = 1024;

export interface WebhookAttemptOutcome {
  readonly attempt: number;
  readonly status: number | null;
  readonly error: string | null;
  readonly durationMs: number;
  readonly responseBody: string | null;
}

export interface RecordWebhookAttempt {
  readonly type: 'RecordWebhookAttempt';
  readonly data: WebhookAttemptOutcome & {
    readonly deliveryId: string;
    readonly endpointId: string;
    readonly eventId: string;
    readonly eventType: string;
    /** When to try again after a failure, or null when the 24-hour window is over (from the retry policy). */
    readonly nextAttemptAt: string | null;
    /** This failure disabled the endpoint: the delivery stops here and waits for a redelivery. */
    readonly endpointDisabled: boolean;
  };
  readonly metadata: CommandMetadata;
}
export type WebhookDeliveryCommand = RecordWebhookAttempt;

export const isSuccessStatus = (status: number | null): boolean => status !== null && status >= 200 && status < 300;

function outcomeMustBeValid(data: RecordWebhookAttempt['data']): WebhookAttemptOutcome {
  const { attempt, status, error, durationMs, responseBody } = data;
  if (!Number.isInteger(attempt) || attempt < 1 || attempt > MAX_WEBHOOK_ATTEMPTS) throw invalid('WEBHOOK_ATTEMPTS_EXHAUSTED', `A delivery is attempted at most ${MAX_WEBHOOK_ATTEMPTS} times`);
  if (status !== null && (!Number.isInteger(status) || status < 100 || status > 599)) throw invalid('WEBHOOK_STATUS_INVALID', 'An HTTP status is 100 to 599');
  if ((status === null) === (error === null)) throw invalid('WEBHOOK_OUTCOME_INVALID', 'An attempt has a status or an error, not both');
  return {
    attempt,
    status,
    error: error === null ? null : error.slice(0, 200),
    durationMs: Math.max(0, Math.min(600_000, Math.round(durationMs))),
    responseBody: responseBody === null ? null : responseBody.slice(0, MAX_RESPONSE_BODY_CHARS),
  };
}

function record(command: RecordWebhookAttempt, state: WebhookDeliveryState): WebhookDeliveryEvent[] {
  const outcome = outcomeMustBeValid(command.data);
  if (outcome.attempt <= state.attempts) return [];
  if (outcome.attempt !== state.attempts + 1) throw conflict('WEBHOOK_ATTEMPT_OUT_OF_ORDER', 'Attempts are recorded one after another', { expected: state.attempts + 1 });
  const { deliveryId, endpointId, eventId, eventType, nextAttemptAt, endpointDisabled } = command.data;
  const ofDelivery = { deliveryId, endpointId, eventId, eventType, ...outcome };
  const now = command.metadata.now;
  if (isSuccessStatus(outcome.status)) return [{ type: 'WebhookDeliverySucceeded', data: { ...ofDelivery, succeededAt: now } }];
  const reason = outcome.status === 410 ? 'endpoint-gone' : endpointDisabled ? 'endpoint-disabled' : nextAttemptAt === null ? 'retries-exhausted' : null;
  if (reason !== null || nextAttemptAt === null) return [{ type: 'WebhookDeliveryFailed', data: { ...ofDelivery, reason: reason ?? 'retries-exhausted', failedAt: now } }];
  return [{ type: 'WebhookDeliveryAttempted', data: { ...ofDelivery, nextAttemptAt, attemptedAt: now } }];
}

export function decideWebhookDelivery(command: WebhookDeliveryCommand, state: WebhookDeliveryState): WebhookDeliveryEvent[] {
  switch (command.type) {
    case 'RecordWebhookAttempt':
      return record(command, state);
    default:
      return unknownCommand(command.type);
  }
}

export function evolveWebhookDelivery(state: WebhookDeliveryState, event: WebhookDeliveryEvent): WebhookDeliveryState {
  switch (event.type) {
    case 'WebhookDeliveryAttempted':
      state.attempts = event.data.attempt;
      state.status = 'retrying';
      return state;
    case 'WebhookDeliverySucceeded':
      state.attempts = event.data.attempt;
      state.status = 'succeeded';
      return state;
    case 'WebhookDeliveryFailed':
      state.attempts = event.data.attempt;
      state.status = 'failed';
      return state;
    default:
      return ignoreUnknownEvent(state, event);
  }
}

export const webhookDeliveryDecider = { decide: decideWebhookDelivery, evolve: evolveWebhookDelivery, initialState: initialWebhookDeliveryState };
