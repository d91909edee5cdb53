import { conflict, ignoreUnknownEvent, invalid, notFound, sameValue, unknownCommand } from '@pm/shared/ddd';
import type { CommandMetadata } from '@pm/shared/ddd';
import type {
  WebhookEndpointDisabled,
  WebhookEndpointEnabled,
  WebhookEndpointEvent,
  WebhookEndpointReconfigured,
  WebhookEndpointRegistered,
  WebhookEndpointRemoved,
  WebhookKey,
  WebhookSecretRotated,
} from '../notification.events';
import { addMinutes, eventTypeFiltersMustBeValid, idMustBeValid, optionalText, uuidMustBeValid } from '../notification.rules';
import { webhookUrlMustBeValid } from './webhook-url';

/**
 * A webhook endpoint (stream `webhook-endpoint:<tenant>:<endpointId>`): its configuration, whether it is enabled, and
 * which signing keys are active. Whether the URL's host may be reached is not decided here — it depends on DNS at
 * connection time, so the delivery worker asks `libs/platform/webhooks`' classifier for the address it connects to.
 */

export interface WebhookConfiguration {
  readonly url: string;
  readonly description: string | null;
  readonly eventTypes: readonly string[];
  readonly orderedBySubject: boolean;
  readonly privateAddressesAllowed: boolean;
}

export type WebhookEndpointState =
  | { readonly status: 'none' }
  | {
      /** A removed endpoint is kept only so its id is never taken again; every command but a repeated removal finds nothing. */
      status: 'enabled' | 'disabled' | 'removed';
      readonly endpointId: string;
      configuration: WebhookConfiguration;
      key: WebhookKey;
      previous: { readonly keyId: string; readonly validUntil: string } | null;
    };

export const initialWebhookEndpointState = (): WebhookEndpointState => ({ status: 'none' });

/** Failures in a row before an endpoint is disabled (Standard Webhooks providers use 5 days of failures; we count). */
export const DISABLE_AFTER_CONSECUTIVE_FAILURES = 20;
export const ROTATION_OVERLAP_MINUTES = { default: 24 * 60, min: 5, max: 7 * 24 * 60 } as const;

type Of<TType extends string, TData> = { readonly type: TType; readonly data: { readonly endpointId: string } & TData; readonly metadata: CommandMetadata };
export type ConfigurationInput = Omit<WebhookConfiguration, 'description'> & { readonly description?: string | null };
export type RegisterWebhookEndpoint = Of<'RegisterWebhookEndpoint', ConfigurationInput & { readonly key: WebhookKey }>;
export type ReconfigureWebhookEndpoint = Of<'ReconfigureWebhookEndpoint', ConfigurationInput>;
export type DisableWebhookEndpoint = Of<'DisableWebhookEndpoint', Record<never, never>>;
/** From the delivery worker: the failures in a row it has seen; at the threshold the endpoint is disabled. */
export type RecordWebhookFailures = Of<'RecordWebhookFailures', { readonly consecutiveFailures: number }>;
export type EnableWebhookEndpoint = Of<'EnableWebhookEndpoint', Record<never, never>>;
export type RotateWebhookSecret = Of<'RotateWebhookSecret', { readonly key: WebhookKey; readonly overlapMinutes?: number }>;
export type RemoveWebhookEndpoint = Of<'RemoveWebhookEndpoint', Record<never, never>>;
export type WebhookEndpointCommand =
  | RegisterWebhookEndpoint
  | ReconfigureWebhookEndpoint
  | DisableWebhookEndpoint
  | RecordWebhookFailures
  | EnableWebhookEndpoint
  | RotateWebhookSecret
  | RemoveWebhookEndpoint;

const FINGERPRINT = /^sha256:[0-9a-f]{16}$/;

function keyMustBeValid(key: WebhookKey): WebhookKey {
  const keyId = idMustBeValid('key.keyId', key?.keyId);
  if (typeof key.fingerprint !== 'string' || !FINGERPRINT.test(key.fingerprint)) throw invalid('WEBHOOK_KEY_INVALID', 'A key is named by its id and a sha256:<16 hex> fingerprint, never the secret');
  return { keyId, fingerprint: key.fingerprint };
}

function configurationMustBeValid(input: ConfigurationInput): WebhookConfiguration {
  if (typeof input.orderedBySubject !== 'boolean' || typeof input.privateAddressesAllowed !== 'boolean') {
    throw invalid('WEBHOOK_CONFIGURATION_INVALID', 'orderedBySubject and privateAddressesAllowed are true or false');
  }
  return {
    url: webhookUrlMustBeValid(input.url),
    description: optionalText('description', input.description, 'description'),
    eventTypes: eventTypeFiltersMustBeValid(input.eventTypes),
    orderedBySubject: input.orderedBySubject,
    privateAddressesAllowed: input.privateAddressesAllowed,
  };
}

type Existing = Exclude<WebhookEndpointState, { status: 'none' }> & { status: 'enabled' | 'disabled' };

function mustExist(state: WebhookEndpointState, endpointId: string): Existing {
  if (state.status === 'none' || state.status === 'removed') throw notFound('WEBHOOK_ENDPOINT_NOT_FOUND', 'No such webhook endpoint', { endpointId: String(endpointId).slice(0, 64) });
  return state as Existing;
}

function register(command: RegisterWebhookEndpoint, state: WebhookEndpointState): WebhookEndpointRegistered[] {
  const endpointId = uuidMustBeValid('endpointId', command.data.endpointId);
  const configuration = configurationMustBeValid(command.data);
  const key = keyMustBeValid(command.data.key);
  if (state.status !== 'none') {
    if (state.status !== 'removed' && sameValue(state.configuration, configuration) && sameValue(state.key, key)) return [];
    throw conflict('WEBHOOK_ENDPOINT_ID_TAKEN', 'A webhook endpoint with this id exists', { endpointId });
  }
  const { actor, now } = command.metadata;
  return [{ type: 'WebhookEndpointRegistered', data: { endpointId, ...configuration, eventTypes: [...configuration.eventTypes], key, registeredBy: actor, registeredAt: now } }];
}

function reconfigure(command: ReconfigureWebhookEndpoint, state: WebhookEndpointState): WebhookEndpointReconfigured[] {
  const endpoint = mustExist(state, command.data.endpointId);
  const configuration = configurationMustBeValid(command.data);
  if (sameValue(endpoint.configuration, configuration)) return [];
  const { actor, now } = command.metadata;
  return [{ type: 'WebhookEndpointReconfigured', data: { endpointId: endpoint.endpointId, ...configuration, eventTypes: [...configuration.eventTypes], reconfiguredBy: actor, reconfiguredAt: now } }];
}

const disabled = (endpoint: Existing, reason: 'manual' | 'consecutive-failures', failures: number, metadata: CommandMetadata): WebhookEndpointDisabled => ({
  type: 'WebhookEndpointDisabled',
  data: { endpointId: endpoint.endpointId, reason, consecutiveFailures: failures, disabledBy: metadata.actor, disabledAt: metadata.now },
});

function disable(command: DisableWebhookEndpoint, state: WebhookEndpointState): WebhookEndpointDisabled[] {
  const endpoint = mustExist(state, command.data.endpointId);
  return endpoint.status === 'disabled' ? [] : [disabled(endpoint, 'manual', 0, command.metadata)];
}

function recordFailures(command: RecordWebhookFailures, state: WebhookEndpointState): WebhookEndpointDisabled[] {
  const endpoint = mustExist(state, command.data.endpointId);
  const failures = command.data.consecutiveFailures;
  if (!Number.isInteger(failures) || failures < 0 || failures > 1_000_000) throw invalid('WEBHOOK_FAILURE_COUNT_INVALID', 'A failure count is a whole number');
  if (endpoint.status === 'disabled' || failures < DISABLE_AFTER_CONSECUTIVE_FAILURES) return [];
  return [disabled(endpoint, 'consecutive-failures', failures, command.metadata)];
}

function enable(command: EnableWebhookEndpoint, state: WebhookEndpointState): WebhookEndpointEnabled[] {
  const endpoint = mustExist(state, command.data.endpointId);
  if (endpoint.status === 'enabled') return [];
  return [{ type: 'WebhookEndpointEnabled', data: { endpointId: endpoint.endpointId, enabledBy: command.metadata.actor, enabledAt: command.metadata.now } }];
}

function rotate(command: RotateWebhookSecret, state: WebhookEndpointState): WebhookSecretRotated[] {
  const endpoint = mustExist(state, command.data.endpointId);
  const key = keyMustBeValid(command.data.key);
  if (sameValue(endpoint.key, key)) return [];
  if (key.keyId === endpoint.key.keyId || key.keyId === endpoint.previous?.keyId) throw conflict('WEBHOOK_KEY_ID_TAKEN', 'A new secret has a new key id', { keyId: key.keyId });
  const overlap = command.data.overlapMinutes ?? ROTATION_OVERLAP_MINUTES.default;
  if (!Number.isInteger(overlap) || overlap < ROTATION_OVERLAP_MINUTES.min || overlap > ROTATION_OVERLAP_MINUTES.max) {
    throw invalid('WEBHOOK_ROTATION_OVERLAP_INVALID', 'The overlap is 5 minutes to 7 days, in whole minutes', { min: ROTATION_OVERLAP_MINUTES.min, max: ROTATION_OVERLAP_MINUTES.max });
  }
  const { actor, now } = command.metadata;
  return [{ type: 'WebhookSecretRotated', data: { endpointId: endpoint.endpointId, key, previousKeyId: endpoint.key.keyId, previousValidUntil: addMinutes(now, overlap), rotatedBy: actor, rotatedAt: now } }];
}

function remove(command: RemoveWebhookEndpoint, state: WebhookEndpointState): WebhookEndpointRemoved[] {
  if (state.status === 'removed') return [];
  const endpoint = mustExist(state, command.data.endpointId);
  return [{ type: 'WebhookEndpointRemoved', data: { endpointId: endpoint.endpointId, removedBy: command.metadata.actor, removedAt: command.metadata.now } }];
}

export function decideWebhookEndpoint(command: WebhookEndpointCommand, state: WebhookEndpointState): WebhookEndpointEvent[] {
  switch (command.type) {
    case 'RegisterWebhookEndpoint':
      return register(command, state);
    case 'ReconfigureWebhookEndpoint':
      return reconfigure(command, state);
    case 'DisableWebhookEndpoint':
      return disable(command, state);
    case 'RecordWebhookFailures':
      return recordFailures(command, state);
    case 'EnableWebhookEndpoint':
      return enable(command, state);
    case 'RotateWebhookSecret':
      return rotate(command, state);
    case 'RemoveWebhookEndpoint':
      return remove(command, state);
    default:
      return unknownCommand(command);
  }
}

const configurationOf = (data: WebhookConfiguration): WebhookConfiguration => {
  const { url, description, eventTypes, orderedBySubject, privateAddressesAllowed } = data;
  return { url, description, eventTypes, orderedBySubject, privateAddressesAllowed };
};

export function evolveWebhookEndpoint(state: WebhookEndpointState, event: WebhookEndpointEvent): WebhookEndpointState {
  if (event.type === 'WebhookEndpointRegistered') {
    return { status: 'enabled', endpointId: event.data.endpointId, configuration: configurationOf(event.data), key: event.data.key, previous: null };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'WebhookEndpointReconfigured':
      state.configuration = configurationOf(event.data);
      return state;
    case 'WebhookEndpointDisabled':
      state.status = 'disabled';
      return state;
    case 'WebhookEndpointEnabled':
      state.status = 'enabled';
      return state;
    case 'WebhookSecretRotated':
      state.previous = { keyId: event.data.previousKeyId, validUntil: event.data.previousValidUntil };
      state.key = event.data.key;
      return state;
    case 'WebhookEndpointRemoved':
      state.status = 'removed';
      return state;
    default:
      return ignoreUnknownEvent(state, event);
  }
}

/** The key ids that sign a delivery at `now`: the current one, and the previous one until its overlap ends. */
export function signingKeyIdsAt(state: WebhookEndpointState, now: string): string[] {
  if (state.status === 'none' || state.status === 'removed') return [];
  const previous = state.previous !== null && Date.parse(now) < Date.parse(state.previous.validUntil) ? [state.previous.keyId] : [];
  return [state.key.keyId, ...previous];
}

/** Does the endpoint want this event? (Disabled endpoints queue deliveries; the worker sends them after enabling.) */
export const endpointWants = (state: WebhookEndpointState, eventType: string): boolean => state.status !== 'none' && state.status !== 'removed' && filtersWant(state.configuration.eventTypes, eventType);

/** An exact type, or a whole context (`pm.risk.*`). */
export const filtersWant = (filters: readonly string[], eventType: string): boolean =>
  filters.some((filter) => (filter.endsWith('.*') ? eventType.startsWith(filter.slice(0, -1)) : filter === eventType));

export const webhookEndpointDecider = { decide: decideWebhookEndpoint, evolve: evolveWebhookEndpoint, initialState: initialWebhookEndpointState };
