import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { silentLogger } from '@pm/platform/observability';
import { WakeLoop, checkId } from '@pm/platform/scheduler';
import type { BackoffPolicy, JsonValue, WorkLogger } from '@pm/platform/scheduler';
import { claimNext, reapExpiredLeases } from './job-claim';
import { JobExecution } from './job-execution';
import type { RunOutcome } from './job-execution';
import type { JobStore } from './job-store';
import type { JobHandler } from './job.types';
import { jobsMetrics } from './jobs.metrics';

export interface JobRunnerOptions {
  readonly store: JobStore;
  /** Names the runner in logs, metrics and lease owners (e.g. `planning-service`). */
  readonly name: string;
  /** Jobs this runner runs at once (default 2): the process-wide cap, on top of the per-tenant one. */
  readonly concurrency?: number;
  /** A runner that has not renewed for this long is presumed dead and its jobs resumed elsewhere (default 30 s). */
  readonly leaseMs?: number;
  /** Default leaseMs / 3. */
  readonly heartbeatMs?: number;
  /** Progress reaches the database at most this often per job (default 1 s). */
  readonly progressFlushMs?: number;
  /** How often to look for jobs submitted by other replicas and for expired leases (default 2 s). */
  readonly pollIntervalMs?: number;
  /** Pause before re-running a job that failed retryably. */
  readonly retry?: BackoffPolicy;
  readonly logger?: WorkLogger;
  readonly metrics?: boolean;
}

interface Running {
  readonly execution: JobExecution;
  readonly done: Promise<RunOutcome>;
}

/** Claims queued jobs fairly across tenants and runs them; any number of runners may share one database. */
export class JobRunner {
  readonly owner: string;
  private readonly handlers = new Map<string, JobHandler>();
  private readonly running = new Map<string, Running>();
  private readonly loop: WakeLoop;
  private readonly log: WorkLogger;
  private readonly metricsOn: boolean;
  private readonly unsubscribe: Array<() => void> = [];
  private stopping = false;

  constructor(private readonly options: JobRunnerOptions) {
    this.owner = `${options.name}@${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.log = options.logger ?? silentLogger;
    this.metricsOn = options.metrics !== false;
    this.loop = new WakeLoop({
      clock: options.store.clock,
      pollIntervalMs: options.pollIntervalMs ?? 2_000,
      tick: async () => void (await this.tick()),
      onError: (error, retryInMs) => this.log.error({ runner: this.owner, err: error, retryInMs }, 'job runner pass failed'),
    });
    this.subscribe();
  }

  get name(): string {
    return this.options.name;
  }

  /** Ids of the jobs this runner is running now. */
  get activeJobIds(): string[] {
    return [...this.running.keys()];
  }

  register<P extends JsonValue = JsonValue, R extends JsonValue = JsonValue>(kind: string, handler: JobHandler<P, R>): this {
    checkId('kind', kind, 100);
    if (this.handlers.has(kind)) throw new Error(`A handler for ${kind} is already registered`);
    this.handlers.set(kind, handler as unknown as JobHandler);
    return this;
  }

  start(): void {
    this.stopping = false;
    this.subscribe();
    if (this.metricsOn) this.unsubscribe.push(jobsMetrics.track({ name: this.name, counts: () => this.options.store.counts() }));
    this.loop.start();
  }

  /**
   * Stops claiming, aborts the running handlers (reason `shutdown`) and waits up to graceMs for them; a job whose
   * handler gave up, or is still running after the grace, goes back to the queue for another runner to resume.
   */
  async stop({ graceMs = 10_000 }: { graceMs?: number } = {}): Promise<void> {
    this.stopping = true;
    await this.loop.stop();
    for (const r of this.running.values()) r.execution.abort('shutdown');
    const all = Promise.allSettled([...this.running.values()].map((r) => r.done));
    let timer: NodeJS.Timeout | undefined;
    const graceOver = await Promise.race([all.then(() => false), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), graceMs)))]);
    clearTimeout(timer);
    if (graceOver) await Promise.all([...this.running.values()].map((r) => r.execution.release().catch(() => 'lost')));
    for (const off of this.unsubscribe.splice(0)) off();
  }

  /** One pass: resume or fail jobs of dead runners, then claim jobs while this runner has free slots. */
  async tick(): Promise<number> {
    const { store } = this.options;
    const now = store.clock.now();
    for (const reaped of await reapExpiredLeases(store.pool, now)) {
      this.log.warn({ runner: this.owner, ...reaped }, reaped.state === 'queued' ? 'job lease expired; queued to resume' : `job lease expired; ${reaped.state}`);
    }
    let started = 0;
    const kinds = [...this.handlers.keys()];
    while (!this.stopping && this.running.size < (this.options.concurrency ?? 2)) {
      const claimed = await claimNext(store.pool, {
        kinds,
        now: store.clock.now(),
        owner: this.owner,
        leaseMs: this.leaseMs,
        maxRunningPerTenant: store.limits.maxRunningPerTenant,
      });
      if (!claimed) break;
      // Claimed only among the registered kinds, so the handler is there.
      const handler = this.handlers.get(claimed.job.kind) as JobHandler;
      this.launch(new JobExecution(claimed, handler, this.settings()));
      started++;
    }
    return started;
  }

  /** Resolves when every job this runner started has ended (tests; draining). */
  async whenIdle(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running.values()].map((r) => r.done));
  }

  /** Submits in this process start at once; cancellations of jobs running here abort at once. */
  private subscribe(): void {
    if (this.unsubscribe.length) return;
    const { store } = this.options;
    this.unsubscribe.push(
      store.onSubmitted((job) => this.handlers.has(job.kind) && this.loop.wake()),
      store.onCancelRequested((job) => this.running.get(job.id)?.execution.abort('cancelled')),
    );
  }

  private get leaseMs(): number {
    return this.options.leaseMs ?? 30_000;
  }

  private settings() {
    const { store } = this.options;
    return {
      pool: store.pool,
      clock: store.clock,
      logger: this.log,
      leaseMs: this.leaseMs,
      heartbeatMs: this.options.heartbeatMs ?? Math.max(100, Math.floor(this.leaseMs / 3)),
      progressFlushMs: this.options.progressFlushMs ?? 1_000,
      retry: this.options.retry ?? { baseMs: 5_000, maxMs: 5 * 60_000, jitter: 0.2 },
    };
  }

  private launch(execution: JobExecution): void {
    const { job, resumed } = execution.claimed;
    const labels = { runner: this.name, kind: job.kind };
    const started = process.hrtime.bigint();
    this.log.info({ runner: this.owner, jobId: job.id, tenantId: job.tenantId, kind: job.kind, attempt: job.attempts, resumed }, 'job started');
    if (this.metricsOn && job.attempts === 1 && job.startedAt) {
      jobsMetrics.waitSeconds().observe(labels, Math.max(0, job.startedAt.getTime() - job.createdAt.getTime()) / 1000);
    }
    const done = execution.run().catch((error: unknown) => {
      // The outcome could not be stored (database down): the lease will expire and another run resumes the job.
      this.log.error({ runner: this.owner, jobId: job.id, err: error }, 'job outcome not stored');
      return 'lost' as const;
    });
    this.running.set(job.id, { execution, done });
    void done.then((outcome) => {
      this.running.delete(job.id);
      if (this.metricsOn) {
        jobsMetrics.finished().inc({ ...labels, outcome });
        jobsMetrics.runSeconds().observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
      }
      this.log.info({ runner: this.owner, jobId: job.id, tenantId: job.tenantId, kind: job.kind, outcome }, 'job run ended');
      if (!this.stopping) this.loop.wake();
    });
  }
}
