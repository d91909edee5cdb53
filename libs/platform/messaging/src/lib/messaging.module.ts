import { Inject, Injectable, Module } from '@nestjs/common';
import type { BeforeApplicationShutdown, DynamicModule, OnApplicationBootstrap } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import type { BoundedContext } from '@pm/contracts';
import { PG_POOL, PgEventStore } from '@pm/platform/event-store';
import { nestLogger, provideReadinessCheck } from '@pm/platform/observability';
import { EventRelay } from './event-relay';
import { createIdempotentProducer, createKafka } from './kafka-client';
import { messagingMetrics } from './messaging.metrics';

export const KAFKA = Symbol('KAFKA');
export const EVENT_RELAY = Symbol('EVENT_RELAY');

/** The service's kafkajs client (`KAFKA_BROKERS`), client id = service name. */
@Module({})
export class KafkaModule {
  static forRoot(options: { serviceName: string }): DynamicModule {
    return {
      module: KafkaModule,
      global: true,
      providers: [
        { provide: KAFKA, useFactory: () => createKafka(options.serviceName, { logger: nestLogger('kafkajs') }) },
        provideReadinessCheck({ name: 'kafka', inject: [KAFKA], useFactory: (kafka: Kafka) => () => kafkaAnswers(kafka) }),
      ],
      exports: [KAFKA],
    };
  }
}

/** Ready = the cluster answered a metadata request through a short-lived admin connection. */
async function kafkaAnswers(kafka: Kafka): Promise<void> {
  const admin = kafka.admin({ retry: { retries: 0 } });
  await admin.connect();
  try {
    const cluster = await admin.describeCluster();
    if (cluster.brokers.length === 0) throw new Error('no brokers in metadata');
  } finally {
    await admin.disconnect();
  }
}

@Injectable()
class RelayLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(@Inject(EVENT_RELAY) private readonly relay: EventRelay) {}
  async onApplicationBootstrap(): Promise<void> {
    await this.relay.start();
  }
  /** Before the pool closes: the batch in flight is published and checkpointed, then the producer disconnects. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }
}

/** Publishes the service's event store to its context's topic for as long as the service runs. */
@Module({})
export class RelayModule {
  static forRoot(options: { serviceName: string; context: BoundedContext; topic: string }): DynamicModule {
    return {
      module: RelayModule,
      providers: [
        {
          provide: EVENT_RELAY,
          useFactory: (pool: Pool, store: PgEventStore, kafka: Kafka) => {
            const relayName = `${options.serviceName}.relay`;
            const published = messagingMetrics.relayPublished();
            const requestEvents = messagingMetrics.relayRequestEvents();
            const relay: EventRelay = new EventRelay({
              name: relayName,
              context: options.context,
              topic: options.topic,
              pool,
              store,
              producer: createIdempotentProducer(kafka),
              logger: nestLogger('EventRelay'),
              onPublished: (count) => published.inc({ relay: relayName }, count),
              onRequest: (events) => requestEvents.observe({ relay: relayName }, events),
            });
            messagingMetrics.relayLag(relayName, async () => store.countAfter(await relay.checkpoint()));
            return relay;
          },
          inject: [PG_POOL, PgEventStore, KAFKA],
        },
        RelayLifecycle,
      ],
      exports: [EVENT_RELAY],
    };
  }
}
