import { CloudEvent } from 'cloudevents';
import { projectCreatedV1, projectRenamedV1 } from '../planning/project.contracts';
import { EventContractError } from '../registry/event-contract.errors';
import type { EventContractErrorCode } from '../registry/event-contract.errors';
import { createCloudEvent, readCloudEvent } from './cloud-event.codec';
import type { CloudEventInput } from './cloud-event.codec';
import { cloudEventEnvelopeSchema } from './cloud-event.schema';
import { CLOUDEVENTS_CONTENT_TYPE, kafkaHeadersSchema, toKafkaMessage } from './kafka-headers';

const attributes: Omit<CloudEventInput<unknown>, 'data'> = {
  id: '01980c4e-5a31-7f2b-9c41-6d2e8a7b3f10',
  subject: 'project-7c9e6679-7425-40de-944b-e07fc1f90ae7',
  time: '2025-07-14T09:30:00.000Z',
  tenantid: 'acme',
  streamversion: 1,
  correlationid: 'req-1',
  causationid: 'cmd-1',
  actor: 'user:42',
  traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
};

const created = () => createCloudEvent(projectCreatedV1, { ...attributes, data: projectCreatedV1.example });

function codeOf(run: () => unknown): EventContractErrorCode | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    if (error instanceof EventContractError) return error.code;
    throw error;
  }
}

describe('CloudEvents envelope', () => {
  describe('createCloudEvent', () => {
    it('fills the attributes that follow from the contract', () => {
      expect(created()).toMatchObject({
        specversion: '1.0',
        source: '/pm/planning',
        type: 'pm.planning.ProjectCreated',
        datacontenttype: 'application/json',
        dataschema: 'urn:pm:schema:pm.planning.ProjectCreated:1',
      });
    });

    it('produces an event the reference CloudEvents SDK validates strictly', () => {
      const event = new CloudEvent<unknown>(created(), true);
      expect(event.validate()).toBe(true);
      expect(event.toJSON()).toMatchObject({ tenantid: 'acme', streamversion: 1, actor: 'user:42' });
    });

    it('publishes the data as parsed, e.g. with the name trimmed', () => {
      const event = createCloudEvent(projectCreatedV1, { ...attributes, data: { ...projectCreatedV1.example, name: ' ERP ' } });
      expect(event.data.name).toBe('ERP');
    });

    it('refuses data that does not match the contract', () => {
      const data = { ...projectCreatedV1.example, currency: 'euro' };
      expect(codeOf(() => createCloudEvent(projectCreatedV1, { ...attributes, data }))).toBe('INVALID_EVENT_DATA');
    });

    it('refuses attributes that are not valid, e.g. an actor without a kind', () => {
      const make = () => createCloudEvent(projectCreatedV1, { ...attributes, actor: '42', data: projectCreatedV1.example });
      expect(codeOf(make)).toBe('INVALID_ENVELOPE');
    });
  });

  describe('readCloudEvent', () => {
    it('reads back what was published through Kafka', () => {
      const message = toKafkaMessage(created());
      const { envelope, event } = readCloudEvent(JSON.parse(message.value));
      expect(envelope).toEqual(created());
      expect(event).toEqual({ type: 'pm.planning.ProjectCreated', version: 1, data: projectCreatedV1.example });
    });

    it('takes the data version from dataschema and upcasts', () => {
      const v1 = createCloudEvent(projectRenamedV1, { ...attributes, data: projectRenamedV1.example });
      const { event } = readCloudEvent(v1);
      expect(event.version).toBe(2);
      expect(event.data).toEqual({ ...projectRenamedV1.example, previousName: null, reason: null });
    });

    it('tolerates extension attributes it does not know, as CloudEvents requires', () => {
      const { envelope } = readCloudEvent({ ...created(), partitionkey: 'p1' });
      expect(envelope).toMatchObject({ partitionkey: 'p1' });
    });

    it.each([
      ['a source of another context', { source: '/pm/risk' }, 'source'],
      ['a dataschema naming another type', { dataschema: 'urn:pm:schema:pm.planning.ProjectRenamed:1' }, 'dataschema'],
      ['a dataschema without a version', { dataschema: 'urn:pm:schema:pm.planning.ProjectCreated' }, 'dataschema'],
      ['another spec version', { specversion: '0.3' }, 'specversion'],
      ['a type outside the pm namespace', { type: 'com.example.ProjectCreated' }, 'type'],
      ['stream version 0', { streamversion: 0 }, 'streamversion'],
      ['a stream version beyond a CloudEvents Integer', { streamversion: 2 ** 31 }, 'streamversion'],
      ['a time without an offset', { time: '2025-07-14 09:30' }, 'time'],
      ['an all-zero trace id', { traceparent: '00-00000000000000000000000000000000-00f067aa0ba902b7-01' }, 'traceparent'],
      ['an empty tenant', { tenantid: '' }, 'tenantid'],
      ['data that is not an object', { data: 'x' }, 'data'],
      ['stagedfor without stagedversion', { stagedfor: 'schedule:acme:p' }, 'stagedversion'],
      ['stagedversion without stagedfor', { stagedversion: 4 }, 'stagedfor'],
    ])('rejects %s as INVALID_ENVELOPE', (_case, change, path) => {
      const value = { ...created(), ...change };
      expect(codeOf(() => readCloudEvent(value))).toBe('INVALID_ENVELOPE');
      const result = cloudEventEnvelopeSchema.safeParse(value);
      expect(result.error?.issues.map((issue) => issue.path.join('.'))).toContain(path);
    });

    it('rejects an envelope without a tenant', () => {
      const withoutTenant: Record<string, unknown> = { ...created() };
      delete withoutTenant['tenantid'];
      expect(codeOf(() => readCloudEvent(withoutTenant))).toBe('INVALID_ENVELOPE');
    });

    it('rejects valid envelopes whose data breaks the contract', () => {
      const value = { ...created(), data: { ...projectCreatedV1.example, status: 'active' } };
      expect(codeOf(() => readCloudEvent(value))).toBe('INVALID_EVENT_DATA');
    });
  });

  describe('Kafka message', () => {
    it('is keyed by the stream id and repeats the routing attributes in headers', () => {
      const message = toKafkaMessage(created());
      expect(message.key).toBe(attributes.subject);
      expect(message.headers).toEqual({
        ce_type: 'pm.planning.ProjectCreated',
        ce_id: attributes.id,
        ce_tenantid: 'acme',
        traceparent: attributes.traceparent,
        'content-type': CLOUDEVENTS_CONTENT_TYPE,
      });
      expect(kafkaHeadersSchema.safeParse(message.headers).success).toBe(true);
    });

    it('keys a part of a staged change by the stream it belongs to (stagedfor), so it shares the commit\'s partition', () => {
      const message = toKafkaMessage({ ...created(), stagedfor: 'schedule:acme:p', stagedversion: 4 });
      expect(message.key).toBe('schedule:acme:p');
    });

    it('leaves out the traceparent header when the event has none', () => {
      const untraced = { ...attributes, traceparent: undefined };
      const message = toKafkaMessage(createCloudEvent(projectCreatedV1, { ...untraced, data: projectCreatedV1.example }));
      expect(Object.keys(message.headers)).not.toContain('traceparent');
      expect(JSON.parse(message.value)).not.toHaveProperty('traceparent');
    });
  });
});
