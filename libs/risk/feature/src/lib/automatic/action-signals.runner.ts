import { Inject, Injectable, Logger } from '@nestjs/common';
import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import type { Pool } from 'pg';
import { parseEventData } from '@pm/contracts';
import { PG_POOL, PgEventStore } from '@pm/platform/event-store';
import { StoreProjectionRunner } from '@pm/platform/projections';
import type { Projection, ProjectionEvent } from '@pm/platform/projections';
import { mitigationActionOverdueFact, mitigationActionSettledFact } from '@pm/risk/domain';
import { RISK_OPTIONS } from '../shared/risk-options';
import type { RiskOptions } from '../shared/risk-options';
import { AutomaticRiskSignals } from './automatic-risk.signals';

const T = { overdue: 'pm.risk.MitigationActionOverdue', completed: 'pm.risk.MitigationActionCompleted' } as const;

/**
 * The rule "overdue mitigation action" reads the service's own events, from its store (ADR 0303, service section): the
 * scheduler's MitigationActionOverdue and a person's MitigationActionCompleted, each with the stored event's id for the
 * evidence. Checkpointed like any store projection; it owns no rows (the risks it raises are the register's), so a
 * rebuild replays the facts and the rules decide nothing they had not decided.
 */
class ActionSignalsProjection implements Projection {
  readonly name = 'automatic-risk-actions';
  readonly handles: readonly string[] = Object.values(T);

  constructor(private readonly signals: AutomaticRiskSignals) {}

  async reset(): Promise<void> {
    // Nothing of its own to empty.
  }

  async apply(event: ProjectionEvent): Promise<void> {
    const cause = { eventId: event.eventId, correlationId: event.correlationId, traceparent: event.traceparent, time: event.occurredAt };
    if (event.type === T.overdue) {
      const d = parseEventData(T.overdue, event.schemaVersion, event.data).data;
      const fact = mitigationActionOverdueFact({ eventId: event.eventId, eventType: event.type, projectId: d.projectId, riskId: d.riskId, actionId: d.actionId, dueOn: d.dueOn, asOf: d.flaggedAt.slice(0, 10) });
      await this.signals.react(event.tenantId, fact, { projectId: d.projectId }, cause);
      return;
    }
    if (event.type === T.completed) {
      const d = parseEventData(T.completed, event.schemaVersion, event.data).data;
      await this.signals.react(event.tenantId, mitigationActionSettledFact({ id: event.eventId, type: event.type, data: d }), { projectId: d.projectId }, cause);
    }
  }
}

@Injectable()
export class ActionSignalsRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger(ActionSignalsRunner.name);
  readonly runner: StoreProjectionRunner;

  constructor(@Inject(PG_POOL) pool: Pool, store: PgEventStore, @Inject(RISK_OPTIONS) options: RiskOptions, signals: AutomaticRiskSignals) {
    this.runner = new StoreProjectionRunner({
      projection: new ActionSignalsProjection(signals),
      context: 'risk',
      pool,
      store,
      pollIntervalMs: options.pollIntervalMs,
      onError: (err) => this.log.error({ err }, 'overdue-action signals failed'),
    });
  }

  onApplicationBootstrap(): void {
    this.runner.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.runner.stop();
  }
}
