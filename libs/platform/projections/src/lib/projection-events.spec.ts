import { randomUUID } from 'node:crypto';
import type { CloudEventEnvelope } from '@pm/contracts';
import { projectionEventsOf } from './projection-events';

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
