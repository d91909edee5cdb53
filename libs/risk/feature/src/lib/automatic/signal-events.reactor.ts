import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { parseEventData } from '@pm/contracts';
import type { ProjectionEvent } from '@pm/platform/projections';
import { criticalTasksAmong, recordTaskCriticality } from '@pm/risk/data-access';
import { earnedValueFact, overallocationFact, overallocationResolvedFact, taskCriticalityFact } from '@pm/risk/domain';
import type { SignalFact } from '@pm/risk/domain';
import type { SignalScope } from '@pm/risk/data-access';
import { AutomaticRiskSignals } from './automatic-risk.signals';

const T = {
  earnedValue: 'pm.planning.ProjectEarnedValueCalculated',
  taskChanged: 'pm.planning.TaskScheduleChanged',
  taskUnscheduled: 'pm.planning.TaskUnscheduled',
  overallocated: 'pm.resource.ResourceOverallocated',
  resolved: 'pm.resource.OverallocationResolved',
} as const;

/** Event types of planning and resource the automatic-risk rules read; every other event is skipped (its inbox row only). */
export const SIGNAL_EVENT_TYPES: readonly string[] = Object.values(T);

/**
 * One planning or resource event → the critical-task copy (in the consumer's transaction) and at most one fact, which the
 * rules judge on the write path. Facts follow ADR 0303's mapping layer (`signal.facts.ts`).
 */
@Injectable()
export class SignalEventsReactor {
  constructor(private readonly signals: AutomaticRiskSignals) {}

  async apply(event: ProjectionEvent, tx: PoolClient): Promise<void> {
    const found = await this.factOf(event, tx);
    if (found === null) return;
    await this.signals.react(event.tenantId, found.fact, found.scope, {
      eventId: event.eventId,
      correlationId: event.correlationId,
      traceparent: event.traceparent,
      time: event.occurredAt,
    });
  }

  private async factOf(event: ProjectionEvent, tx: PoolClient): Promise<{ fact: SignalFact; scope: SignalScope } | null> {
    const received = <D>(data: D) => ({ id: event.eventId, type: event.type, data });
    switch (event.type) {
      case T.earnedValue: {
        const d = parseEventData(T.earnedValue, event.schemaVersion, event.data).data;
        return { fact: earnedValueFact(received(d)), scope: { projectId: d.projectId } };
      }
      case T.taskChanged: {
        const d = parseEventData(T.taskChanged, event.schemaVersion, event.data).data;
        await recordTaskCriticality(tx, event.tenantId, d.projectId, d.taskId, d.critical);
        const fact = taskCriticalityFact(received(d));
        return fact && { fact, scope: { projectId: d.projectId } };
      }
      case T.taskUnscheduled: {
        const d = parseEventData(T.taskUnscheduled, event.schemaVersion, event.data).data;
        await recordTaskCriticality(tx, event.tenantId, d.projectId, d.taskId, false);
        return null;
      }
      case T.overallocated: {
        const d = parseEventData(T.overallocated, event.schemaVersion, event.data).data;
        const critical = await criticalTasksAmong(tx, event.tenantId, d.periods.flatMap((p) => p.taskIds));
        const fact = overallocationFact(received(d), (taskId) => critical.filter((c) => c.taskId === taskId));
        return { fact, scope: { resourceId: d.resourceId } };
      }
      case T.resolved: {
        const d = parseEventData(T.resolved, event.schemaVersion, event.data).data;
        const fact = overallocationResolvedFact(received(d));
        return fact && { fact, scope: { resourceId: d.resourceId } };
      }
      default:
        return null;
    }
  }
}
