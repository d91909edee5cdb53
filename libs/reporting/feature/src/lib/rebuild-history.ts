import { randomUUID } from 'node:crypto';
import type { Producer } from 'kafkajs';
import { dataSchemaUri, eventSource, toKafkaMessage } from '@pm/contracts';
import type { BoundedContext } from '@pm/contracts';
import type { ProjectionEvent } from '@pm/platform/projections';
import type { PortfolioEventsOf } from '@pm/reporting/data-access';

/** Topics a rebuild spec or bench feeds instead of the shared reporting topics: one per context reporting reads. */
export interface HistoryTopics {
  readonly planning: string;
  readonly risk: string;
}

/** A published event, on the topic of its context. */
export interface HistoryMessage {
  readonly topic: string;
  readonly event: ProjectionEvent;
}

const contextOf = (type: string): BoundedContext => (type.startsWith('pm.risk.') ? 'risk' : 'planning');

/** The event as its producing service's relay publishes it: a CloudEvent keyed by its stream. */
export function historyMessage(topics: HistoryTopics, event: ProjectionEvent): HistoryMessage {
  return { topic: contextOf(event.type) === 'risk' ? topics.risk : topics.planning, event };
}

export async function publishHistory(producer: Producer, messages: readonly HistoryMessage[]): Promise<void> {
  const byTopic = new Map<string, HistoryMessage[]>();
  for (const m of messages) {
    const list = byTopic.get(m.topic) ?? [];
    list.push(m);
    byTopic.set(m.topic, list);
  }
  await producer.sendBatch({
    topicMessages: [...byTopic].map(([topic, ms]) => ({
      topic,
      messages: ms.map(({ event }) => {
        const context = contextOf(event.type);
        return toKafkaMessage({
          specversion: '1.0',
          id: event.eventId,
          source: eventSource(context),
          type: event.type,
          subject: event.streamId,
          time: event.recordedAt,
          occurredat: event.occurredAt,
          datacontenttype: 'application/json',
          dataschema: dataSchemaUri(event.type, event.schemaVersion),
          tenantid: event.tenantId,
          streamversion: event.streamVersion,
          correlationid: event.eventId,
          causationid: event.eventId,
          actor: 'user:rebuild-history',
          data: event.data as Record<string, unknown>,
        });
      }),
    })),
  });
}

/**
 * A project's life as the portfolio sees it, 12 events over its four streams (each handled by at least one reporting
 * read model), plus `noise` planning events no read model handles (task edits: the bulk of a real planning topic).
 */
export function projectHistory(topics: HistoryTopics, project: PortfolioEventsOf, day: number, noise = 0): HistoryMessage[] {
  const at = (hour: number) => new Date(Date.UTC(2026, 0, 1 + day, hour)).toISOString();
  const cr = randomUUID();
  const events = [
    project.created(at(8), `Project ${project.projectId.slice(0, 8)}`),
    project.gateRequested(at(9), 'gate-1'),
    project.gateApproved(at(10), 'gate-1'),
    project.advanced(at(11), 'planning'),
    project.scheduled(at(12), '2026-11-30'),
    project.earnedValue(at(13), { pv: 1000, ev: 900, ac: 950, overdue: 0 }),
    project.exposure(at(14), { critical: 1, high: 2, openIssues: 1, p80Finish: '2026-12-15' }),
    project.changeRequestRaised(at(15), cr),
    project.changeRequestApproved(at(16), cr),
    project.earnedValue(at(17), { pv: 2000, ev: 1700, ac: 1900, overdue: 1 }),
    project.exposure(at(18), { critical: 0, high: 1, openIssues: 0, p80Finish: null }),
    project.renamed(at(19), `Renamed ${project.projectId.slice(0, 8)}`),
  ];
  const tasks = Array.from({ length: noise }, (_, i): ProjectionEvent => ({
    eventId: randomUUID(),
    type: 'pm.planning.TaskProgressReported',
    schemaVersion: 1,
    tenantId: project.tenantId,
    streamId: `schedule-tasks:${project.tenantId}:${project.projectId}`,
    streamVersion: i + 1,
    occurredAt: at(20),
    recordedAt: at(20),
    data: { taskId: randomUUID(), percentComplete: (i * 7) % 100 },
  }));
  return [...events, ...tasks].map((e) => historyMessage(topics, e));
}
