import { randomUUID } from 'node:crypto';
import { isEventContractError, projectRenamedV1 } from '@pm/contracts';
import type { CloudEventEnvelope } from '@pm/contracts';
import { eventDataOf, fromCloudEvent, projectionEventsOf } from './projection-events';

const envelope = (over: Partial<CloudEventEnvelope> = {}): CloudEventEnvelope => ({
  specversion: '1.0',
  id: randomUUID(),
  source: '/pm/planning',
  type: 'pm.planning.ScheduleImportStaged',
  subject: 'schedule-import:acme:i1',
  time: '2026-12-04T10:00:00.000Z',
  datacontenttype: 'application/json',
  dataschema: 'urn:pm:schema:pm.planning.ScheduleImportStaged:1',
  tenantid: 'acme',
  streamversion: 3,
  correlationid: 'c-1',
  causationid: 'c-1',
  actor: 'user:ann',
  data: { chunk: 2, events: [{ type: 'TaskAddedToWbs', data: { taskId: 'a' } }, { type: 'DependencyLinked', data: { dependencyId: 'd' } }] },
  ...over,
});

describe('projectionEventsOf', () => {
  it('an ordinary event is itself', () => {
    const e = envelope({ type: 'pm.planning.ProjectCreated', subject: 'project:acme:p', data: { projectId: 'p' } });
    expect(projectionEventsOf(e)).toEqual([expect.objectContaining({ eventId: e.id, type: 'pm.planning.ProjectCreated', streamId: 'project:acme:p', streamVersion: 3, data: { projectId: 'p' } })]);
  });

  it('a part of a committed staged change is its events, in order, as events of the commit\'s stream at the commit\'s version', () => {
    const e = envelope({ stagedfor: 'schedule:acme:p', stagedversion: 7, traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' });
    const out = projectionEventsOf(e);
    expect(out.map(({ type, streamId, streamVersion, schemaVersion, data, tenantId, traceparent }) => ({ type, streamId, streamVersion, schemaVersion, data, tenantId, traceparent }))).toEqual([
      { type: 'pm.planning.TaskAddedToWbs', streamId: 'schedule:acme:p', streamVersion: 7, schemaVersion: 1, data: { taskId: 'a' }, tenantId: 'acme', traceparent: e.traceparent },
      { type: 'pm.planning.DependencyLinked', streamId: 'schedule:acme:p', streamVersion: 7, schemaVersion: 1, data: { dependencyId: 'd' }, tenantId: 'acme', traceparent: e.traceparent },
    ]);
  });

  it('derives the nested events\' ids from the part\'s id: distinct UUIDs, the same on every delivery', () => {
    const e = envelope({ stagedfor: 'schedule:acme:p', stagedversion: 7 });
    const ids = projectionEventsOf(e).map((x) => x.eventId);
    expect(new Set(ids).size).toBe(2);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(projectionEventsOf(e).map((x) => x.eventId)).toEqual(ids);
    expect(projectionEventsOf({ ...e, id: randomUUID() }).map((x) => x.eventId)).not.toEqual(ids);
  });
});

describe('the times of a projection event (ADR 0506)', () => {
  it('is recorded at the CloudEvents time and decided at occurredat', () => {
    const e = fromCloudEvent(envelope({ time: '2026-12-04T10:00:00.250Z', occurredat: '2026-12-04T09:59:59.900Z' }));
    expect({ recordedAt: e.recordedAt, occurredAt: e.occurredAt }).toEqual({ recordedAt: '2026-12-04T10:00:00.250Z', occurredAt: '2026-12-04T09:59:59.900Z' });
  });

  it('was decided at its time when published before occurredat existed', () => {
    const e = fromCloudEvent(envelope());
    expect({ recordedAt: e.recordedAt, occurredAt: e.occurredAt }).toEqual({ recordedAt: '2026-12-04T10:00:00.000Z', occurredAt: '2026-12-04T10:00:00.000Z' });
  });
});

describe('eventDataOf', () => {
  const renamed = () =>
    fromCloudEvent(envelope({ type: projectRenamedV1.type, dataschema: projectRenamedV1.dataschema, subject: 'project:acme:p', data: { ...projectRenamedV1.example } }));

  it('validates and upcasts once per event, however many read models ask', () => {
    const e = renamed();
    const first = eventDataOf(projectRenamedV1.type, e);
    expect(first.data).toEqual({ ...projectRenamedV1.example, previousName: null, reason: null });
    expect(eventDataOf(projectRenamedV1.type, e)).toBe(first);
    expect(eventDataOf(projectRenamedV1.type, renamed())).not.toBe(first);
  });

  it('refuses data that breaks its contract, every time it is asked', () => {
    const e = { ...renamed(), data: { ...projectRenamedV1.example, name: '' } };
    for (let i = 0; i < 2; i++) {
      let error: unknown;
      try {
        eventDataOf(projectRenamedV1.type, e);
      } catch (err) {
        error = err;
      }
      expect(isEventContractError(error) && error.code).toBe('INVALID_EVENT_DATA');
    }
  });
});
