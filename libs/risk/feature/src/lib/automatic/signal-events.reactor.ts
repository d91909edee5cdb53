import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { parseEventData } from '@pm/contracts';
import type { ProjectionEvent } from '@pm/platform/projections';
import { criticalTasksAmong, findingsWithTask, recordResourceFinding, recordTaskCriticality } from '@pm/risk/data-access';
import { earnedValueFact, overallocationFact, overallocationResolvedFact, taskCriticalityFact } from '@pm/risk/domain';
import type { SignalFact } from '@pm/risk/domain';
import type { ContractEvent } from '@pm/contracts';
import type { SignalScope } from '@pm/risk/data-access';
import { AutomaticRiskSignals } from './automatic-risk.signals';

const T = {
  earnedValue: 'pm.planning.ProjectEarnedValueCalculated',
  taskChanged: 'pm.planning.TaskScheduleChanged',
  taskUnscheduled: 'pm.planning.TaskUnscheduled',
  overallocated: 'pm.resource.ResourceOverallocated',
  resolved: 'pm.resource.OverallocationResolved',
} as const;

type Finding = ContractEvent<'resource', 'ResourceOverallocated'>['data'];
type Found = { readonly fact: SignalFact; readonly scope: SignalScope };

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
    const cause = { eventId: event.eventId, correlationId: event.correlationId, traceparent: event.traceparent, time: event.occurredAt };
    for (const { fact, scope } of await this.factsOf(event, tx)) await this.signals.react(event.tenantId, fact, scope, cause);
  }

  private async factsOf(event: ProjectionEvent, tx: PoolClient): Promise<Found[]> {
    if (event.type === T.taskChanged) {
      const d = parseEventData(T.taskChanged, event.schemaVersion, event.data).data;
      const becameCritical = await recordTaskCriticality(tx, event.tenantId, d.projectId, d.taskId, d.critical);
      // A task that turns critical while its resource is already over-allocated: that resource's latest finding is
      // judged again with the task now critical (its evidence stays the finding's event).
      if (becameCritical) return this.findingsAgain(event.tenantId, d.taskId, tx);
    }
    const found = await this.factOf(event, tx);
    return found === null ? [] : [found];
  }

  private async findingsAgain(tenantId: string, taskId: string, tx: PoolClient): Promise<Found[]> {
    const facts: Found[] = [];
    for (const { eventId, eventType, finding } of await findingsWithTask<Finding>(tx, tenantId, taskId)) {
      facts.push(await this.overallocation(tenantId, { id: eventId, type: eventType, data: finding }, tx));
    }
    return facts;
  }

  private async overallocation(tenantId: string, received: { id: string; type: string; data: Finding }, tx: PoolClient): Promise<Found> {
    const critical = await criticalTasksAmong(tx, tenantId, received.data.periods.flatMap((p) => p.taskIds));
    const fact = overallocationFact(received, (taskId) => critical.filter((c) => c.taskId === taskId));
    return { fact, scope: { resourceId: received.data.resourceId } };
  }

  private async factOf(event: ProjectionEvent, tx: PoolClient): Promise<Found | null> {
    const received = <D>(data: D) => ({ id: event.eventId, type: event.type, data });
    switch (event.type) {
      case T.earnedValue: {
        const d = parseEventData(T.earnedValue, event.schemaVersion, event.data).data;
        return { fact: earnedValueFact(received(d)), scope: { projectId: d.projectId } };
      }
      case T.taskChanged: {
        const d = parseEventData(T.taskChanged, event.schemaVersion, event.data).data;
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
        await recordResourceFinding(tx, event.tenantId, d.resourceId, { eventId: event.eventId, eventType: event.type, finding: d });
        return this.overallocation(event.tenantId, received(d), tx);
      }
      case T.resolved: {
        const d = parseEventData(T.resolved, event.schemaVersion, event.data).data;
        const fact = overallocationResolvedFact(received(d));
        if (fact) await recordResourceFinding<Finding>(tx, event.tenantId, d.resourceId, null);
        return fact && { fact, scope: { resourceId: d.resourceId } };
      }
      default:
        return null;
    }
  }
}
