import type { z } from 'zod';
import { contractRegistry } from '../registry/contract.registry';
import type { ParsedEventData } from '../registry/event-catalogue.types';
import type { EventContract } from '../registry/event-contract';
import { EventContractError } from '../registry/event-contract.errors';
import { parseEventData } from '../registry/parse-event-data';
import {
  CLOUDEVENTS_SPEC_VERSION,
  EVENT_DATA_CONTENT_TYPE,
  cloudEventEnvelopeSchema,
  eventSource,
  parseDataSchemaUri,
} from './cloud-event.schema';
import type { CloudEventEnvelope } from './cloud-event.schema';

/** What a producer supplies; the rest of the envelope follows from the contract. */
export interface CloudEventInput<TData> {
  readonly id: string;
  readonly subject: string;
  /** When the store recorded the event (ADR 0506). */
  readonly time: string;
  /** When the producer decided it, if it says. */
  readonly occurredat?: string;
  readonly tenantid: string;
  readonly streamversion: number;
  readonly correlationid: string;
  readonly causationid: string;
  readonly actor: string;
  readonly traceparent?: string;
  readonly data: TData;
}

function invalidEnvelope(issues: readonly z.core.$ZodIssue[], type?: string): EventContractError {
  const summary = issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
  return new EventContractError('INVALID_ENVELOPE', `invalid CloudEvent envelope: ${summary}`, { type, issues });
}

/**
 * Builds the envelope for one version of an event, validating data and attributes, so that
 * nothing the schema would reject can reach a topic.
 */
export function createCloudEvent<TType extends string, TData>(
  contract: EventContract<TType, TData>,
  input: CloudEventInput<TData>,
): CloudEventEnvelope<TData, TType> {
  const { data, traceparent, occurredat, ...attributes } = input;
  const parsedData = contract.schema.safeParse(data);
  if (!parsedData.success) {
    throw new EventContractError('INVALID_EVENT_DATA', `${contract.type} v${contract.version}: data does not match its schema`, {
      type: contract.type,
      version: contract.version,
      issues: parsedData.error.issues,
    });
  }
  const candidate: CloudEventEnvelope<TData, TType> = {
    specversion: CLOUDEVENTS_SPEC_VERSION,
    id: attributes.id,
    source: eventSource(contract.context),
    type: contract.type,
    subject: attributes.subject,
    time: attributes.time,
    ...(occurredat === undefined ? {} : { occurredat }),
    datacontenttype: EVENT_DATA_CONTENT_TYPE,
    dataschema: contract.dataschema,
    tenantid: attributes.tenantid,
    streamversion: attributes.streamversion,
    correlationid: attributes.correlationid,
    causationid: attributes.causationid,
    actor: attributes.actor,
    ...(traceparent === undefined ? {} : { traceparent }),
    data: parsedData.data,
  };
  const checked = cloudEventEnvelopeSchema.safeParse(candidate);
  if (!checked.success) throw invalidEnvelope(checked.error.issues, contract.type);
  return candidate;
}

export interface ReadCloudEvent {
  /** The envelope as received (data at its published version). */
  readonly envelope: CloudEventEnvelope;
  /** The data validated and upcast to the latest version of its type. */
  readonly event: ParsedEventData;
}

/**
 * Reads a message value (already JSON-parsed): validates the envelope, takes the data version
 * from `dataschema`, validates and upcasts the data. Throws `EventContractError`.
 */
export function readCloudEvent(value: unknown): ReadCloudEvent {
  const envelope = cloudEventEnvelopeSchema.safeParse(value);
  if (!envelope.success) throw invalidEnvelope(envelope.error.issues);
  // The envelope schema has checked the URN's form and that it names this type.
  const schemaRef = parseDataSchemaUri(envelope.data.dataschema);
  if (schemaRef === undefined) throw invalidEnvelope([], envelope.data.type);
  return { envelope: envelope.data, event: parseEventData(envelope.data.type, schemaRef.version, envelope.data.data) };
}

/** True when this build of the contracts knows the type and version, e.g. to tell "upgrade @pm/contracts" apart from bad data. */
export function isKnownEvent(type: string, version: number): boolean {
  return contractRegistry.find(type, version) !== undefined;
}
