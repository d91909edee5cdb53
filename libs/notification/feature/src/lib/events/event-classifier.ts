import { parseEventData } from '@pm/contracts';
import type { IncomingEvent } from '@pm/notification/domain';

/** The parts of a consumed event the classifier reads (ProjectionEvent plus the envelope's actor). */
export interface SourceEvent {
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly occurredAt: string;
  readonly actor: string;
  readonly data: unknown;
}

type Facts = Omit<IncomingEvent, 'eventId' | 'type' | 'occurredAt' | 'actor'>;
type Classifier = (event: SourceEvent) => Facts | null;

const hours = (minutes: number): string => `${Math.round((minutes / 60) * 10) / 10} h`;

/**
 * Which events are worth telling someone about, how bad they are and what they link to (ADR 0400: the classifier
 * decides severities, the router who hears). Anything not named here, or named but not notable (a task that moved
 * without slipping the critical path, a risk rated low), is no notification at all: the consumer skips it without
 * routing, which is most of planning's traffic.
 */
const CLASSIFIERS: ReadonlyMap<string, Classifier> = new Map<string, Classifier>([
  [
    'pm.planning.TaskScheduleChanged',
    (e) => {
      const d = parseEventData('pm.planning.TaskScheduleChanged', e.schemaVersion, e.data).data;
      // A critical-path slip: the task is critical and now finishes later than the last calculation said.
      if (!d.critical || d.previousFinish === null || d.finish <= d.previousFinish) return null;
      return {
        severity: 'high',
        projectId: d.projectId,
        subject: { kind: 'task', id: d.taskId, projectId: d.projectId },
        title: `Critical-path task "${d.name}" slipped from ${d.previousFinish} to ${d.finish}`,
      };
    },
  ],
  [
    'pm.planning.PhaseGateRequested',
    (e) => {
      const d = parseEventData('pm.planning.PhaseGateRequested', e.schemaVersion, e.data).data;
      return { severity: 'high', projectId: d.projectId, subject: { kind: 'phase-gate', id: d.gateId, projectId: d.projectId }, title: `Phase gate to ${d.toPhase} awaits approval` };
    },
  ],
  [
    'pm.planning.ChangeRequestRaised',
    (e) => {
      const d = parseEventData('pm.planning.ChangeRequestRaised', e.schemaVersion, e.data).data;
      return { severity: 'medium', projectId: d.projectId, subject: { kind: 'change-request', id: d.changeRequestId, projectId: d.projectId }, title: `Change request submitted: ${d.title}` };
    },
  ],
  [
    'pm.risk.RiskAssessed',
    (e) => {
      const d = parseEventData('pm.risk.RiskAssessed', e.schemaVersion, e.data).data;
      if (d.rating !== 'high' && d.rating !== 'critical') return null;
      return { severity: d.rating, projectId: d.projectId, subject: { kind: 'risk', id: d.riskId, projectId: d.projectId }, title: `Risk rated ${d.rating} (score ${d.residual?.score ?? d.inherent.score})` };
    },
  ],
  [
    'pm.risk.AutomaticRiskRaised',
    (e) => {
      const d = parseEventData('pm.risk.AutomaticRiskRaised', e.schemaVersion, e.data).data;
      return { severity: 'high', projectId: d.projectId, subject: { kind: 'risk', id: d.riskId, projectId: d.projectId }, title: `New risk raised automatically: ${d.title}` };
    },
  ],
  [
    'pm.resource.ResourceOverallocated',
    (e) => {
      const d = parseEventData('pm.resource.ResourceOverallocated', e.schemaVersion, e.data).data;
      const from = d.periods[0].from;
      return { severity: 'medium', projectId: null, subject: { kind: 'resource', id: d.resourceId, projectId: null }, title: `Resource over-allocated by ${hours(d.totalMinutesOver)} from ${from}` };
    },
  ],
]);

export const CLASSIFIED_EVENT_TYPES: readonly string[] = [...CLASSIFIERS.keys()];

/** The event as the router reads it, or null when nobody is to hear of it. */
export function classifyEvent(event: SourceEvent): IncomingEvent | null {
  const facts = CLASSIFIERS.get(event.type)?.(event);
  if (!facts) return null;
  return { eventId: event.eventId, type: event.type, occurredAt: event.occurredAt, actor: event.actor, ...facts };
}
