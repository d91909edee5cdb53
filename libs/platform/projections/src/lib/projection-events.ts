import { createHash } from 'node:crypto';
import { parseDataSchemaUri, parseEventData } from '@pm/contracts';
import type { CloudEventEnvelope, KnownEventType, ParsedEventData } from '@pm/contracts';
import type { ProjectionEvent } from './projection.types';

/** One event of a CloudEvent as a projection sees it (a part of a staged change is not one: see projectionEventsOf). */
export function fromCloudEvent(envelope: CloudEventEnvelope): ProjectionEvent {
  return {
    eventId: envelope.id,
    type: envelope.type,
    schemaVersion: parseDataSchemaUri(envelope.dataschema)?.version ?? 1,
    tenantId: envelope.tenantid,
    streamId: envelope.subject,
    streamVersion: envelope.streamversion,
    occurredAt: envelope.occurredat ?? envelope.time,
    recordedAt: envelope.time,
    data: envelope.data,
    correlationId: envelope.correlationid,
    traceparent: envelope.traceparent ?? null,
  };
}

/**
 * What a projection applies for one message. Usually the event itself. A part of a staged change (ADR 0009:
 * `stagedfor`/`stagedversion` set, `data.events` the change's events in order) is the events it carries, each as an
 * event of stream `stagedfor` at version `stagedversion`: the version of the commit that makes them part of the
 * stream, so a projection's version guard must accept several events at one version (`<=`, not `<`). Nested events
 * are version 1 of their contracts (`pm.<context>.<type>`); their ids are derived from the part's id and their index,
 * the same on every delivery.
 */
export function projectionEventsOf(envelope: CloudEventEnvelope): ProjectionEvent[] {
  const event = fromCloudEvent(envelope);
  const { stagedfor, stagedversion } = envelope;
  if (stagedfor === undefined || stagedversion === undefined) return [event];
  const nested = (envelope.data as { events?: unknown }).events;
  if (!Array.isArray(nested)) return [];
  const prefix = envelope.type.slice(0, envelope.type.lastIndexOf('.') + 1);
  return nested.map((entry: { type: string; data: unknown }, index) => ({
    ...event,
    eventId: derivedId(envelope.id, index),
    type: `${prefix}${entry.type}`,
    schemaVersion: 1,
    streamId: stagedfor,
    streamVersion: stagedversion,
    data: entry.data,
  }));
}

/** A UUID (version 5 layout) from the part's id and the index of the event in it. */
function derivedId(partId: string, index: number): string {
  const h = createHash('sha1').update(`${partId}/${index}`).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const parsedData = new WeakMap<ProjectionEvent, ParsedEventData>();

/**
 * `parseEventData` of the event (validated against its contract, upcast to the latest version), once per event object
 * however many read models apply it: a consumer hands the same ProjectionEvent to each of its projections, and a
 * project event validated once per read model was a fifth of a reporting rebuild's contract checks (ADR 0507). The
 * result is shared: read it, never change it. `type` is the event's own type, named for the result's type; another
 * type is parsed as asked, without the cache.
 */
export function eventDataOf<TType extends KnownEventType>(type: TType, event: ProjectionEvent): ParsedEventData<TType>;
export function eventDataOf(type: string, event: ProjectionEvent): ParsedEventData;
export function eventDataOf(type: string, event: ProjectionEvent): ParsedEventData {
  if (type !== event.type) return parseEventData(type, event.schemaVersion, event.data);
  let parsed = parsedData.get(event);
  if (parsed === undefined) {
    parsed = parseEventData(type, event.schemaVersion, event.data);
    parsedData.set(event, parsed);
  }
  return parsed;
}
