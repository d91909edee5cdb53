import { Inject, Injectable } from '@nestjs/common';
import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import type { Pool, PoolClient } from 'pg';
import { TOPICS, dlqTopic, parseEventData } from '@pm/contracts';
import { recordCostIncurred, recordLevellingProposal, recordTimesheetLines } from '@pm/planning/data-access';
import { PG_POOL } from '@pm/platform/event-store';
import { EventConsumer, KAFKA } from '@pm/platform/messaging';
import { nestLogger } from '@pm/platform/observability';
import type { ConsumedEvent } from '@pm/platform/messaging';
import { fromCloudEvent } from '@pm/platform/projections';

export const PLANNING_SERVICE = 'planning-service';
export const PLANNING_CONSUMER_OPTIONS = Symbol('PLANNING_CONSUMER_OPTIONS');

export interface PlanningConsumerOptions {
  /** Kafka consumer group and inbox name: the service name, unless a separate instance (a test) needs its own. */
  readonly consumerGroupId: string;
}

/**
 * What planning keeps from the resource context: approved timesheets' priced lines (to split a timesheet's cost
 * per task) and every CostIncurred (actual cost for earned value, ADR 0106); levelling proposals (ADR 0107). Each message is handled
 * in one transaction with its inbox row, so a redelivery changes nothing.
 */
export async function applyResourceEvent(event: ConsumedEvent, tx: PoolClient): Promise<void> {
  const e = fromCloudEvent(event.envelope);
  switch (e.type) {
    case 'pm.resource.TimesheetApproved':
      return recordTimesheetLines(tx, e.tenantId, parseEventData('pm.resource.TimesheetApproved', e.schemaVersion, e.data).data);
    case 'pm.resource.CostIncurred':
      return recordCostIncurred(tx, e.tenantId, parseEventData('pm.resource.CostIncurred', e.schemaVersion, e.data).data);
    case 'pm.resource.LevellingProposed':
      return recordLevellingProposal(tx, e.tenantId, parseEventData('pm.resource.LevellingProposed', e.schemaVersion, e.data).data);
    default:
      return;
  }
}

@Injectable()
export class ResourceCostsConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly consumer: EventConsumer;

  constructor(@Inject(KAFKA) kafka: Kafka, @Inject(PG_POOL) pool: Pool, @Inject(PLANNING_CONSUMER_OPTIONS) options: PlanningConsumerOptions) {
    this.consumer = new EventConsumer({
      kafka,
      groupId: options.consumerGroupId,
      topics: [TOPICS.resource],
      pool,
      dlqTopic: dlqTopic(PLANNING_SERVICE),
      dlqProducer: kafka.producer({ idempotent: true, maxInFlightRequests: 1 }),
      logger: nestLogger('ResourceCostsConsumer'),
      handler: applyResourceEvent,
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }
}
