import { Inject, Injectable } from '@nestjs/common';
import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import { TOPICS, dlqTopic } from '@pm/contracts';
import { PG_POOL } from '@pm/platform/event-store';
import { EventConsumer, KAFKA } from '@pm/platform/messaging';
import { nestLogger } from '@pm/platform/observability';
import { projectionEventsOf } from '@pm/platform/projections';
import { PlanningTasksProjection } from '@pm/resource/data-access';
import { ReadModelSync } from '../allocation/read-model.sync';
import { RESOURCE_OPTIONS, RESOURCE_SERVICE } from '../shared/resource-options';
import type { ResourceOptions } from '../shared/resource-options';

/**
 * The resource service's only view of the plan: pm.planning.events into its local copy of tasks and links,
 * each event in one inbox transaction (a redelivery is skipped). A task that moved marks its assignees in the
 * same transaction, naming the event as the cause; the sync then re-evaluates them, so when the plan moves,
 * demand moves, and the over-allocation events that follow say which planning event they answer.
 */
@Injectable()
export class PlanningEventsConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly consumer: EventConsumer;

  constructor(@Inject(KAFKA) kafka: Kafka, @Inject(PG_POOL) pool: Pool, @Inject(RESOURCE_OPTIONS) options: ResourceOptions, sync: ReadModelSync) {
    const projection = new PlanningTasksProjection();
    this.consumer = new EventConsumer({
      kafka,
      groupId: options.consumerGroupId,
      topics: [TOPICS.planning],
      pool,
      dlqTopic: dlqTopic(RESOURCE_SERVICE),
      dlqProducer: kafka.producer({ idempotent: true, maxInFlightRequests: 1 }),
      logger: nestLogger(PlanningEventsConsumer.name),
      handler: async (event, tx) => {
        // A part of a committed import carries many schedule events (ADR 0009); each keeps the trace context, so the
        // over-allocation events a moved task causes continue the planning event's trace.
        for (const e of projectionEventsOf(event.envelope)) {
          if (projection.handles.includes(e.type)) await projection.apply(e, tx);
        }
      },
      onHandled: (_event, outcome) => {
        if (outcome === 'applied') void sync.sync();
      },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }
}
