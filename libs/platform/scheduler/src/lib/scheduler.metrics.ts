import { defineCounter, defineGauge, defineHistogram } from '@pm/platform/observability';

/** What the backlog gauges sample from each live scheduler at scrape time. */
export interface BacklogSource {
  readonly name: string;
  backlog(): Promise<Array<{ kind: string; due: number; failed: number }>>;
}

const liveSchedulers = new Set<BacklogSource>();

function collectBacklog(gauge: 'due' | 'failed') {
  return async function (this: { reset(): void; set(labels: { scheduler: string; kind: string }, value: number): void }) {
    // Reset first: a kind whose backlog emptied must not keep reporting its last value.
    this.reset();
    for (const source of liveSchedulers) {
      const rows = await source.backlog().catch(() => undefined);
      if (!rows) continue;
      for (const row of rows) this.set({ scheduler: source.name, kind: row.kind }, row[gauge]);
    }
  };
}

/** Prometheus metrics of the durable scheduler, on the shared registry `/metrics` serves. */
export const schedulerMetrics = {
  track(source: BacklogSource): () => void {
    defineGauge({
      name: 'pm_scheduler_due_items',
      help: 'Pending scheduled items whose due time has passed (the backlog), sampled at scrape',
      labelNames: ['scheduler', 'kind'],
      collect: collectBacklog('due'),
    });
    defineGauge({
      name: 'pm_scheduler_failed_items',
      help: 'Scheduled items parked in the failed state after their last attempt, sampled at scrape',
      labelNames: ['scheduler', 'kind'],
      collect: collectBacklog('failed'),
    });
    liveSchedulers.add(source);
    return () => liveSchedulers.delete(source);
  },
  fired: () =>
    defineCounter({
      name: 'pm_scheduler_fired_total',
      help: 'Scheduled items whose handler committed (one-shot done or recurring moved on)',
      labelNames: ['scheduler', 'kind'],
    }),
  failures: () =>
    defineCounter({
      name: 'pm_scheduler_failures_total',
      help: 'Handler failures, by what followed: retry (backoff) or failed (attempts exhausted)',
      labelNames: ['scheduler', 'kind', 'outcome'],
    }),
  lag: () =>
    defineHistogram({
      name: 'pm_scheduler_fire_lag_seconds',
      help: 'Time from an item being due to its handler starting',
      labelNames: ['scheduler', 'kind'],
      buckets: [0.05, 0.25, 1, 5, 15, 60, 300, 900, 3600],
    }),
};
