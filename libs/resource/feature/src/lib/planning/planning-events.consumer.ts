import { Inject, Injectable } from '@nestjs/common';
import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import { TOPICS, dlqTopic } from '@pm/contracts';
import { PG_POOL } from '@pm/platform/event-store';
import { EventConsumer, KAFKA, nestMessagingLogger } from '@pm/platform/messaging';
import { fromCloudEvent } from '@pm/platform/projections';
import { PlanningTasksProjection } from '@pm/resource/data-access';
import { ReadModelSync } from '../allocation/read-model.sync';
import { RESOURCE_OPTIONS, RESOURCE_SERVICE } from '../shared/resource-options';
import type { ResourceOptions } from '../shared/resource-options';

/**
 * The resource service's only view of the plan: pm.planning.events into its local copy of tasks and links,
 * each event in one inbox transaction (a redelivery is skipped). A task that moved marks its assignees in the
 * same transaction; the sync then re-evaluates them, so when the plan moves, demand moves.
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
      logger: nestMessagingLogger(PlanningEventsConsumer.name),
      handler: async (event, tx) => {
        const pe = fromCloudEvent(event.envelope);
        if (projection.handles.includes(pe.type)) await projection.apply(pe, tx);
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
