import { Inject, Injectable } from '@nestjs/common';
import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import { TOPICS, dlqTopic } from '@pm/contracts';
import { PG_POOL } from '@pm/platform/event-store';
import { EventConsumer, KAFKA } from '@pm/platform/messaging';
import { nestLogger } from '@pm/platform/observability';
import { projectionEventsOf } from '@pm/platform/projections';
import { RISK_OPTIONS, RISK_SERVICE } from '../shared/risk-options';
import type { RiskOptions } from '../shared/risk-options';
import { DEFAULT_CALENDAR_SET, TenantCalendarReactor } from '../due/tenant-calendar.reactor';
import { SIGNAL_EVENT_TYPES, SignalEventsReactor } from './signal-events.reactor';

/**
 * The risk service's view of planning and resource: each event in the messaging lib's inbox transaction (a redelivery
 * is skipped), the critical-task copy written in it. The rules' decisions commit on the one write path in their own
 * transaction just before it (the write path cannot join the consumer's): a crash in between redelivers the event,
 * and the rules then decide nothing, because the decisions' rows are already in the book (ADR 0303, service section).
 */
@Injectable()
export class AutomaticRiskConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly consumer: EventConsumer;

  constructor(@Inject(KAFKA) kafka: Kafka, @Inject(PG_POOL) pool: Pool, @Inject(RISK_OPTIONS) options: RiskOptions, reactor: SignalEventsReactor, calendars: TenantCalendarReactor) {
    this.consumer = new EventConsumer({
      kafka,
      groupId: options.consumerGroupId,
      topics: [TOPICS.planning, TOPICS.resource],
      pool,
      dlqTopic: dlqTopic(RISK_SERVICE),
      dlqProducer: kafka.producer({ idempotent: true, maxInFlightRequests: 1 }),
      logger: nestLogger(AutomaticRiskConsumer.name),
      handler: async (event, tx) => {
        // A part of a staged import carries its schedule events (ADR 0009): applied on arrival as events of the stream
        // they are staged for, like any other; ScheduleImportStaged itself is no fact.
        for (const e of projectionEventsOf(event.envelope)) {
          if (SIGNAL_EVENT_TYPES.includes(e.type)) await reactor.apply(e, tx);
          else if (e.type === DEFAULT_CALENDAR_SET) await calendars.apply(e, tx); // the tenant calendar for due dates (ADR 0302)
        }
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
