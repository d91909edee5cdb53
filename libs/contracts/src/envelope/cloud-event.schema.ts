import { z } from 'zod';
import { isoDateTimeSchema, uuidSchema } from '../shared/contract-primitives.schema';
import { BOUNDED_CONTEXTS, isBoundedContext } from '../topics/topics.constants';
import type { EventContract } from '../registry/event-contract';
import type { BoundedContext } from '../topics/topics.constants';

export const CLOUDEVENTS_SPEC_VERSION = '1.0';
/** `datacontenttype` of every event: `data` is always a JSON object. */
export const EVENT_DATA_CONTENT_TYPE = 'application/json';

const CONTEXTS = BOUNDED_CONTEXTS.join('|');

/** `pm.<context>.<PastTenseName>`, e.g. `pm.planning.ProjectCreated`. Never renamed once published. */
export const EVENT_TYPE_PATTERN = new RegExp(`^pm\\.(${CONTEXTS})\\.([A-Z][A-Za-z0-9]*)$`);

/**
 * `dataschema` names the data schema and its integer version as a URN:
 * `urn:pm:schema:<type>:<version>`, e.g. `urn:pm:schema:pm.planning.ProjectCreated:1`.
 * A URN rather than a URL because it identifies a schema, it does not promise a place to fetch
 * it from; the schemas themselves are published in docs/asyncapi.yaml.
 */
const DATASCHEMA_PATTERN = new RegExp(`^urn:pm:schema:(pm\\.(?:${CONTEXTS})\\.[A-Z][A-Za-z0-9]*):([1-9][0-9]*)$`);

// CloudEvents' Integer type is a signed 32-bit integer; a larger value is not a valid attribute.
const CLOUDEVENTS_INTEGER_MAX = 2_147_483_647;

// W3C Trace Context: version ff and all-zero trace or parent ids are invalid.
const TRACEPARENT_PATTERN = /^(?!ff)[0-9a-f]{2}-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$/;

export function eventSource(context: BoundedContext): `/pm/${BoundedContext}` {
  return `/pm/${context}`;
}

export function dataSchemaUri(type: string, version: number): string {
  return `urn:pm:schema:${type}:${version}`;
}

export function parseDataSchemaUri(uri: string): { type: string; version: number } | undefined {
  const match = DATASCHEMA_PATTERN.exec(uri);
  return match ? { type: match[1], version: Number(match[2]) } : undefined;
}

/** The bounded context encoded in an event type, or undefined when the type is malformed. */
export function contextOfEventType(type: string): BoundedContext | undefined {
  const context = EVENT_TYPE_PATTERN.exec(type)?.[1];
  return context !== undefined && isBoundedContext(context) ? context : undefined;
}

/** Context attributes (CloudEvents core + our extensions), i.e. everything but `data`. */
export const cloudEventAttributeShape = {
  specversion: z.literal(CLOUDEVENTS_SPEC_VERSION),
  id: uuidSchema.describe('Event id, unique per event; consumers deduplicate on it'),
  source: z
    .string()
    .regex(new RegExp(`^/pm/(${CONTEXTS})$`))
    .describe('/pm/<context> of the bounded context that owns the stream'),
  type: z.string().regex(EVENT_TYPE_PATTERN).describe('pm.<context>.<EventName>'),
  subject: z.string().min(1).describe('Stream id of the aggregate, `<category>:<tenant>:<id>` (before 1.1.0: `<category>-<id>`); also the Kafka message key'),
  time: isoDateTimeSchema.describe(
    "When the producing service's event store recorded the event: the database clock at its insert, inside the transaction that committed it (before 2026-12-05 the producer published its occurredAt here). Reporting's asOf counts an event from this instant",
  ),
  occurredat: isoDateTimeSchema
    .optional()
    .describe(
      "When the producing service decided the event: its clock when the command's or background round's context was created, before the transaction that recorded it. It may be earlier than the time of an event of the same stream recorded before it; order and time travel use time, not this",
    ),
  datacontenttype: z.literal(EVENT_DATA_CONTENT_TYPE),
  dataschema: z
    .string()
    .regex(DATASCHEMA_PATTERN)
    .describe('urn:pm:schema:<type>:<version>; the version selects the data schema'),
  tenantid: z.string().min(1).describe('Tenant the stream belongs to'),
  streamversion: z
    .number()
    .int()
    .min(1)
    .max(CLOUDEVENTS_INTEGER_MAX)
    .describe("Position of the event in its stream, 1 for the stream's first event"),
  correlationid: z.string().min(1).describe('Id shared by everything caused by one original request'),
  causationid: z.string().min(1).describe('Id of the command or event that directly caused this one'),
  actor: z
    .string()
    .regex(/^(user|service|system):\S+$/)
    .describe('Who caused it: user:<id>, service:<name> or system:<name>'),
  traceparent: z
    .string()
    .regex(TRACEPARENT_PATTERN)
    .optional()
    .describe('W3C Trace Context of the request that produced the event'),
  stagedfor: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Present on the parts of a staged change (for example pm.planning.ScheduleImportStaged): the stream id of the aggregate the part belongs to; also the Kafka key. The parts of one change arrive right before the event that commits them (stream `stagedfor`, version `stagedversion`), in the same partition, and only once it is committed',
    ),
  stagedversion: z
    .number()
    .int()
    .min(1)
    .max(CLOUDEVENTS_INTEGER_MAX)
    .optional()
    .describe('With stagedfor: the version of the commit event, in stream `stagedfor`, that the part belongs to'),
};

type CloudEventAttributeValues = z.output<z.ZodObject<typeof cloudEventAttributeShape>>;

type EnvelopeConsistencyInput = Pick<CloudEventAttributeValues, 'source' | 'type' | 'dataschema' | 'stagedfor' | 'stagedversion'>;

/** Cross-attribute rules a per-attribute schema cannot express. */
export function checkEnvelopeConsistency(envelope: EnvelopeConsistencyInput, ctx: z.RefinementCtx): void {
  const context = contextOfEventType(envelope.type);
  if (context !== undefined && envelope.source !== eventSource(context)) {
    ctx.addIssue({ code: 'custom', path: ['source'], message: `source must be ${eventSource(context)} for ${envelope.type}` });
  }
  if ((envelope.stagedfor === undefined) !== (envelope.stagedversion === undefined)) {
    ctx.addIssue({ code: 'custom', path: [envelope.stagedfor === undefined ? 'stagedfor' : 'stagedversion'], message: 'stagedfor and stagedversion come together' });
  }
  const schemaRef = parseDataSchemaUri(envelope.dataschema);
  if (schemaRef !== undefined && schemaRef.type !== envelope.type) {
    ctx.addIssue({ code: 'custom', path: ['dataschema'], message: `dataschema names ${schemaRef.type}, not ${envelope.type}` });
  }
}

/**
 * `data` is a JSON object, taken as it is. Every consumer validates it against its contract (`parseEventData`) when it
 * uses it, so the envelope only checks its kind: a `z.record` here copied every key of every event's data (two thirds
 * of the envelope check for a typical event, ADR 0507) to hand the same values to that second validation.
 */
const jsonObjectSchema = z.custom<Record<string, unknown>>((value) => typeof value === 'object' && value !== null && !Array.isArray(value), {
  message: 'data must be a JSON object',
});

/**
 * A CloudEvents 1.0 event in structured JSON mode, as found in the value of every message on the
 * pm.*.events topics. Loose on purpose: CloudEvents requires consumers to accept extension
 * attributes they do not know, so adding one later is not a breaking change.
 */
export const cloudEventEnvelopeSchema = z
  .looseObject({
    ...cloudEventAttributeShape,
    data: jsonObjectSchema.describe('The event data; its schema is named by dataschema'),
  })
  .superRefine(checkEnvelopeConsistency);

/** The envelope with `data` and `type` narrowed once the event type is known. */
export type CloudEventEnvelope<TData = Record<string, unknown>, TType extends string = string> = Omit<
  CloudEventAttributeValues,
  'type'
> & { type: TType; data: TData };

/**
 * The envelope of one version of one event type: `type`, `source` and `dataschema` are fixed and
 * `data` is the contract's schema. This is also what the AsyncAPI document publishes per message.
 */
export function cloudEventEnvelopeSchemaFor<TType extends string, TData>(contract: EventContract<TType, TData>) {
  return z.looseObject({
    ...cloudEventAttributeShape,
    type: z.literal(contract.type),
    source: z.literal(eventSource(contract.context)),
    dataschema: z.literal(contract.dataschema),
    data: contract.schema,
  });
}
