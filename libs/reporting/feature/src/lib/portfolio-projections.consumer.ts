import { Inject, Injectable } from '@nestjs/common';
import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import { TOPICS, dlqTopic } from '@pm/contracts';
import { PG_POOL } from '@pm/platform/event-store';
import { EventConsumer, KAFKA } from '@pm/platform/messaging';
import type { ConsumerFreshness } from '@pm/platform/messaging';
import { nestLogger } from '@pm/platform/observability';
import { TransactionRebuildGuards, batchedApply } from '@pm/platform/projections';
import type { Projection } from '@pm/platform/projections';
import { PortfolioHeatMapsProjection, PortfolioProjection, ProjectSummaryProjection, StreamVersionsWriter, streamAppliedNotifier } from '@pm/reporting/data-access';

export const REPORTING_SERVICE = 'reporting-service';
export const REPORTING_OPTIONS = Symbol('REPORTING_OPTIONS');

export interface ReportingOptions {
  /** Kafka consumer group and inbox name; the service name unless a second, separate instance is wanted. */
  readonly consumerGroupId: string;
  /** REPORTING_TOPICS unless a spec feeds topics of its own. */
  readonly topics?: readonly string[];
}
export const REPORTING_TOPICS = [TOPICS.planning, TOPICS.risk, TOPICS.resource];

/** Every read model reporting keeps; each sees every event it handles, in one inbox transaction. */
export function reportingProjections(): Projection[] {
  return [new ProjectSummaryProjection(), new PortfolioProjection(), new PortfolioHeatMapsProjection()];
}

/** Feeds the portfolio read models from the context topics, effectively once (inbox) per event. */
@Injectable()
export class PortfolioProjectionsConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly consumer: EventConsumer;

  constructor(@Inject(KAFKA) kafka: Kafka, @Inject(PG_POOL) pool: Pool, @Inject(REPORTING_OPTIONS) options: ReportingOptions) {
    const projections = reportingProjections();
    // Every consumed event's stream version, for read-your-writes (ADR 0503): once per transaction, woken after it.
    const versions = new StreamVersionsWriter();
    const notifier = streamAppliedNotifier(pool);
    // The same write path as a rebuild's replay (ADR 0504): read models with a batch writer apply a transaction's
    // events at once before its COMMIT, each read model's rebuild guard taken once per transaction.
    const apply = batchedApply(projections, new TransactionRebuildGuards());
    this.consumer = new EventConsumer({
      kafka,
      groupId: options.consumerGroupId,
      topics: options.topics ?? REPORTING_TOPICS,
      pool,
      dlqTopic: dlqTopic(REPORTING_SERVICE),
      dlqProducer: kafka.producer({ idempotent: true, maxInFlightRequests: 1 }),
      logger: nestLogger('PortfolioProjectionsConsumer'),
      // A fetch returns batches of many partitions (18 for the three topics): one at a time, the last waited for every
      // other's transaction. Partitions hold different streams, whose rows no other partition writes (as the replay,
      // which applies 4 side by side through the same path): their transactions run side by side.
      partitionsConsumedConcurrently: 4,
      transactionScope: {
        begin: async (tx, events) => {
          versions.begin(tx);
          await apply.transactionScope.begin(tx, events);
        },
        flush: async (tx) => {
          await apply.transactionScope.flush(tx);
          await versions.flush(tx);
        },
      },
      onHandled: ({ envelope }, outcome) => {
        if (outcome === 'applied') notifier.notify(envelope.tenantid);
      },
      handler: async (event, tx) => {
        versions.note(tx, event.envelope.tenantid, event.envelope.subject, event.envelope.streamversion);
        await apply.handler(event, tx);
      },
    });
  }

  /** Lag per topic and partition and the last event applied there (ADR 0503). */
  freshness(): Promise<ConsumerFreshness> {
    return this.consumer.freshness();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }
}
