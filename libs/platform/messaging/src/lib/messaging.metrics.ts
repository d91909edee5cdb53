import { defineCounter, defineGauge, defineHistogram } from '@pm/platform/observability';

/** Prometheus metrics of the relay and the consumers; lag is what an operator alerts on. */
export const messagingMetrics = {
  relayPublished: () =>
    defineCounter({ name: 'pm_relay_published_events_total', help: 'Events the relay published to Kafka', labelNames: ['relay'] }),
  /** Sampled at scrape time, so it also grows while the relay is stuck (broker down). */
  relayLag: (relay: string, sample: () => Promise<number>) =>
    defineGauge({
      name: 'pm_relay_lag_events',
      help: 'Events stored but not yet published (after the relay checkpoint), sampled at scrape',
      labelNames: ['relay'],
      async collect() {
        this.set({ relay }, await sample().catch(() => -1));
      },
    }),
  consumerHandled: () =>
    defineCounter({
      name: 'pm_consumer_events_total',
      help: 'Events settled by a consumer, by outcome (applied, duplicate, dead-lettered)',
      labelNames: ['consumer', 'outcome'],
    }),
  consumerLag: () =>
    defineGauge({
      name: 'pm_consumer_lag_messages',
      help: 'Messages behind the partition high watermark after the last batch (kafkajs offsetLag)',
      labelNames: ['consumer', 'topic', 'partition'],
    }),
  consumerHandleSeconds: () =>
    defineHistogram({
      name: 'pm_consumer_handle_seconds',
      help: 'Time to settle one message, inbox transaction and retries included',
      labelNames: ['consumer'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
    }),
};
