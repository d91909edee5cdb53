import { defineCounter, defineGauge, defineHistogram } from '@pm/platform/observability';

/** Prometheus metrics of the relay and the consumers; lag is what an operator alerts on. */
export const messagingMetrics = {
  relayPublished: () =>
    defineCounter({ name: 'pm_relay_published_events_total', help: 'Events the relay published to Kafka', labelNames: ['relay'] }),
  relayRequestEvents: () =>
    defineHistogram({
      name: 'pm_relay_request_events',
      help: 'Events per produce request the relay sent (a batch is split by bytes)',
      labelNames: ['relay'],
      buckets: [1, 10, 50, 100, 250, 500, 1000, 2500],
    }),
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
      help: 'Events settled by a consumer, by outcome (applied, duplicate, dead-lettered, skipped: nothing to do, told from its headers)',
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
      help: 'Time to settle one message, from the start of its batch to its commit, retries included',
      labelNames: ['consumer'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
    }),
  consumerTransactionEvents: () =>
    defineHistogram({
      name: 'pm_consumer_transaction_events',
      help: 'Messages settled per consumer transaction (one inbox transaction per batch; 1 when a failure fell back to one message at a time)',
      labelNames: ['consumer'],
      buckets: [1, 5, 10, 50, 100, 250, 500, 1000],
    }),
};
