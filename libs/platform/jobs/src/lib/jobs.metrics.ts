import { defineCounter, defineGauge, defineHistogram } from '@pm/platform/observability';

interface CountSource {
  readonly name: string;
  counts(): Promise<Array<{ kind: string; state: string; n: number }>>;
}

const liveRunners = new Set<CountSource>();

/** Prometheus metrics of the job runners, on the shared registry `/metrics` serves. */
export const jobsMetrics = {
  track(source: CountSource): () => void {
    defineGauge({
      name: 'pm_jobs',
      help: 'Queued and running jobs by kind, sampled at scrape',
      labelNames: ['runner', 'kind', 'state'],
      async collect() {
        this.reset();
        for (const s of liveRunners) {
          const rows = await s.counts().catch(() => []);
          for (const r of rows) this.set({ runner: s.name, kind: r.kind, state: r.state }, r.n);
        }
      },
    });
    liveRunners.add(source);
    return () => liveRunners.delete(source);
  },
  finished: () =>
    defineCounter({
      name: 'pm_jobs_runs_total',
      help: 'Job runs ended, by the state they left the job in (queued = will resume; lost = another runner took over)',
      labelNames: ['runner', 'kind', 'outcome'],
    }),
  runSeconds: () =>
    defineHistogram({
      name: 'pm_jobs_run_seconds',
      help: 'Duration of one run of a job handler',
      labelNames: ['runner', 'kind'],
      buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
    }),
  waitSeconds: () =>
    defineHistogram({
      name: 'pm_jobs_queue_wait_seconds',
      help: 'Time from submit to the first start of a job',
      labelNames: ['runner', 'kind'],
      buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
    }),
};
