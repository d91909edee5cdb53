import { Inject, Injectable } from '@nestjs/common';
import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import { TOPICS, dlqTopic } from '@pm/contracts';
import { PG_POOL } from '@pm/platform/event-store';
import { EventConsumer, KAFKA } from '@pm/platform/messaging';
import type { EventHandler } from '@pm/platform/messaging';
import { nestLogger } from '@pm/platform/observability';
import { projectionEventsOf } from '@pm/platform/projections';
import { RiskPlanProjection } from '@pm/risk/data-access';
import { RISK_OPTIONS, RISK_SERVICE } from '../shared/risk-options';
import type { RiskOptions } from '../shared/risk-options';

/**
 * The risk service's copy of each plan, for Monte Carlo runs (ADR 0300, 0304): pm.planning.events into the plan rows,
 * a batch per inbox transaction (a redelivery is skipped). Its own consumer group and inbox name, apart from any other
 * consumer of the service (automatic risks read the same topic for other reasons and at their own pace). A committed
 * import's parts arrive before their commit and are applied as events of the schedule stream (ADR 0009).
 */
const planCopy = new RiskPlanProjection();
const followed = new Set(planCopy.handles);

/** A part of a committed import holds many schedule events; each is applied as an event of the schedule stream. */
const applyToPlanCopy: EventHandler = async (event, tx) => {
  const events = projectionEventsOf(event.envelope).filter((e) => followed.has(e.type));
  for (const e of events) await planCopy.apply(e, tx);
};

@Injectable()
export class PlanEventsConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly consumer: EventConsumer;

  constructor(@Inject(KAFKA) kafka: Kafka, @Inject(PG_POOL) pool: Pool, @Inject(RISK_OPTIONS) options: RiskOptions) {
    this.consumer = new EventConsumer({
      kafka,
      pool,
      groupId: options.planConsumerGroupId,
      inboxName: options.planConsumerGroupId,
      topics: [TOPICS.planning],
      fromBeginning: true,
      handler: applyToPlanCopy,
      logger: nestLogger(PlanEventsConsumer.name),
      dlqTopic: dlqTopic(RISK_SERVICE),
      dlqProducer: kafka.producer({ idempotent: true, maxInFlightRequests: 1 }),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }
}
