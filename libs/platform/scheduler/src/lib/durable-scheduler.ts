import type { Pool } from 'pg';
import type { Clock } from './clock';
import { systemClock } from './clock';
import { fairSelectionSql } from './fair-selection.sql';
import { fireBatch } from './fire-batch';
import type { BatchHandler } from './fire-batch';
import { fireItem } from './fire-item';
import type { Candidate, FireReport } from './fire-item';
import { deleteItem, findItem, listItems, upsertItems } from './scheduled-items.repository';
import type { Queryable } from './scheduled-items.repository';
import { checkId } from './scheduler.errors';
import { schedulerMetrics } from './scheduler.metrics';
import type { FiredItem, JsonValue, ListFilter, RetryPolicy, RoundResult, ScheduleRequest, ScheduledHandler, ScheduledItem } from './scheduler.types';
import { WakeLoop } from './wake-loop';
import type { WorkLogger } from './work-logger';
import { silentLogger } from '@pm/platform/observability';

export interface DurableSchedulerOptions {
  /** Names this scheduler in logs and metrics (e.g. `risk-service`). */
  readonly name: string;
  /** The using service's own database, migrated with SCHEDULER_MIGRATIONS. */
  readonly pool: Pool;
  readonly clock?: Clock;
  readonly logger?: WorkLogger;
  /** Items looked at per round (default 100). */
  readonly batchSize?: number;
  /** Items one tenant may take of a round (default 10): another tenant's item waits at most one round. */
  readonly perTenantPerRound?: number;
  /** Items fired in parallel, each on its own connection (default 4; keep below the pool size). */
  readonly concurrency?: number;
  /** The longest sleep; bounds how late an item scheduled by another replica is seen (default 30 s). */
  readonly pollIntervalMs?: number;
  readonly retry?: Partial<RetryPolicy>;
  /** Prometheus metrics on the shared registry (default on). */
  readonly metrics?: boolean;
}

interface Registration {
  readonly handler: ScheduledHandler;
  /** Set for kinds registered with `registerBatch`: a tenant's due items of the kind fire together. */
  readonly batch?: { readonly handler: BatchHandler; readonly max: number };
  readonly retry: RetryPolicy;
}

const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 8, baseMs: 1_000, maxMs: 10 * 60_000, jitter: 0.2 };

const SKIPPED_RECHECK_MS = 1_000;

const NEXT_DUE_SQL = `SELECT min(due_at) AS next FROM scheduler_items WHERE state = 'pending' AND kind = ANY($1::text[])`;

const CANDIDATES_SQL = fairSelectionSql({
  table: 'scheduler_items',
  active: (a) => `${a}.state = 'pending'`,
  ready: (a) => `${a}.due_at <= $1 AND ${a}.kind = ANY($2::text[])`,
  columns: ['kind', 'key'],
  order: 'due_at',
  perTenant: '$3',
  limit: '$4',
});

/**
 * Durable timers for a service: items keyed by (tenant, kind, key), due times in PostgreSQL, each fired once
 * across replicas and restarts by the handler registered for its kind, inside the transaction that completes it.
 */
export class DurableScheduler {
  private readonly handlers = new Map<string, Registration>();
  private readonly clock: Clock;
  private readonly log: WorkLogger;
  private readonly loop: WakeLoop;
  private readonly metricsOn: boolean;
  private untrack?: () => void;
  private stopping = false;

  constructor(private readonly options: DurableSchedulerOptions) {
    this.clock = options.clock ?? systemClock;
    this.log = options.logger ?? silentLogger;
    this.metricsOn = options.metrics !== false;
    this.loop = new WakeLoop({
      clock: this.clock,
      pollIntervalMs: options.pollIntervalMs ?? 30_000,
      tick: () => this.tick(),
      onError: (error, retryInMs) => this.log.error({ scheduler: options.name, err: error, retryInMs }, 'scheduler round failed'),
    });
  }

  get name(): string {
    return this.options.name;
  }

  /** Register before start(); a replica only claims the kinds it has handlers for (rolling deploys stay safe). */
  register<P extends JsonValue = JsonValue>(kind: string, handler: ScheduledHandler<P>, retry: Partial<RetryPolicy> = {}): this {
    checkId('kind', kind, 100);
    if (this.handlers.has(kind)) throw new Error(`A handler for ${kind} is already registered`);
    this.handlers.set(kind, { handler: handler as ScheduledHandler, retry: { ...DEFAULT_RETRY, ...this.options.retry, ...retry } });
    return this;
  }

  /**
   * Registers a kind whose due items of one tenant fire together, up to `max` in one transaction (see BatchHandler).
   * If the handler throws, the items fire one at a time through the same handler (given one context each), each with
   * its own retries, so a batch never fails as a whole.
   */
  registerBatch<P extends JsonValue = JsonValue>(kind: string, handler: BatchHandler<P>, options: { retry?: Partial<RetryPolicy>; max?: number } = {}): this {
    const single: ScheduledHandler<P> = async (ctx) => (await handler([ctx]))[0];
    this.register(kind, single, options.retry);
    const registration = this.handlers.get(kind) as Registration;
    this.handlers.set(kind, { ...registration, batch: { handler: handler as BatchHandler, max: Math.max(1, options.max ?? 25) } });
    return this;
  }

  /**
   * Schedules or reschedules (same tenant, kind, key: replaced, attempts reset). Pass `tx` to schedule in the
   * caller's transaction (e.g. with the event that asked for it); it then takes effect when that commits.
   */
  async schedule(request: ScheduleRequest, options: { tx?: Queryable } = {}): Promise<void> {
    await this.scheduleMany([request], options);
  }

  async scheduleMany(requests: readonly ScheduleRequest[], options: { tx?: Queryable } = {}): Promise<void> {
    await upsertItems(options.tx ?? this.options.pool, requests, this.clock.now());
    const earliest = requests.filter((r) => this.handlers.has(r.kind)).reduce<Date | undefined>((min, r) => (!min || r.dueAt < min ? r.dueAt : min), undefined);
    if (earliest) this.loop.wake(earliest);
  }

  /**
   * Removes the item; false when there was none. A firing in progress is not waited for (its claim writes nothing,
   * ADR 0017): its effects still commit, and its completion finds the item gone.
   */
  async cancel(tenantId: string, kind: string, key: string, options: { tx?: Queryable } = {}): Promise<boolean> {
    return deleteItem(options.tx ?? this.options.pool, tenantId, kind, key);
  }

  /** Pass `tx` to read in the caller's transaction (e.g. schedule only when no item exists yet). */
  async get(tenantId: string, kind: string, key: string, options: { tx?: Queryable } = {}): Promise<ScheduledItem | undefined> {
    return findItem(options.tx ?? this.options.pool, tenantId, kind, key);
  }

  async list(filter: ListFilter = {}): Promise<ScheduledItem[]> {
    return listItems(this.options.pool, filter);
  }

  /** Overdue items, oldest first (diagnostics). */
  async listDue(filter: Omit<ListFilter, 'dueBefore' | 'state'> = {}): Promise<ScheduledItem[]> {
    return listItems(this.options.pool, { ...filter, state: 'pending', dueBefore: this.clock.now() });
  }

  /** Overdue and failed items per kind, for the gauges. */
  async backlog(): Promise<Array<{ kind: string; due: number; failed: number }>> {
    const res = await this.options.pool.query<{ kind: string; due: number; failed: number }>(
      `SELECT kind, count(*) FILTER (WHERE state = 'pending' AND due_at <= $1)::int AS due, count(*) FILTER (WHERE state = 'failed')::int AS failed
       FROM scheduler_items GROUP BY kind`,
      [this.clock.now()],
    );
    return res.rows;
  }

  start(): void {
    this.stopping = false;
    if (this.metricsOn && !this.untrack) this.untrack = schedulerMetrics.track(this);
    this.loop.start();
  }

  /** Stops claiming; firings in progress finish (and commit) first. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.loop.stop();
    this.untrack?.();
    this.untrack = undefined;
  }

  /**
   * Fires everything due now (by the clock), round after round, until a round finds nothing it can fire.
   * Tests with a ManualClock advance it and call this; the background loop calls it too.
   */
  async runDue(): Promise<FiredItem[]> {
    const all: FiredItem[] = [];
    for (;;) {
      const round = await this.runRound();
      all.push(...round.items);
      const progressed = round.items.some((i) => i.outcome !== 'skipped' && i.outcome !== 'error');
      // Stopping: a large backlog is left to the next start (or another replica) after this round.
      if (round.claimed < this.batchSize || !progressed || this.stopping) return all;
    }
  }

  /** One bounded, tenant-fair round: at most batchSize items, at most perTenantPerRound per tenant. */
  async runRound(): Promise<RoundResult> {
    const kinds = [...this.handlers.keys()];
    if (kinds.length === 0) return { claimed: 0, items: [] };
    const now = this.clock.now();
    const res = await this.options.pool.query<Candidate>(CANDIDATES_SQL, [now, kinds, this.options.perTenantPerRound ?? 10, this.batchSize]);
    const queue = this.unitsOf(res.rows);
    const items: FiredItem[] = [];
    let firstError: unknown;
    const failed = (c: Candidate) => (error: unknown) => {
      firstError ??= error;
      this.log.error({ scheduler: this.name, kind: c.kind, tenantId: c.tenant_id, key: c.key, err: error }, 'scheduled item could not be fired');
      return 'error' as const;
    };
    const worker = async () => {
      for (let unit = queue.shift(); unit; unit = queue.shift()) {
        const outcomes = unit.length === 1 ? [await this.fire(unit[0], now).catch(failed(unit[0]))] : await this.fireTogether(unit, now).catch((e: unknown) => unit.map((c) => failed(c)(e)));
        unit.forEach((c, i) => items.push({ tenantId: c.tenant_id, kind: c.kind, key: c.key, outcome: outcomes[i] }));
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency ?? 4, queue.length) }, worker));
    // Nothing could be done and something failed (database down): let the loop back off instead of spinning.
    if (firstError !== undefined && items.every((i) => i.outcome === 'error' || i.outcome === 'skipped')) throw firstError;
    return { claimed: res.rows.length, items };
  }

  private get batchSize(): number {
    return this.options.batchSize ?? 100;
  }

  /** The round's work: a tenant's due items of a batch kind together (up to its max), every other item alone. */
  private unitsOf(candidates: readonly Candidate[]): Candidate[][] {
    const units: Candidate[][] = [];
    const open = new Map<string, Candidate[]>();
    for (const c of candidates) {
      const batch = this.handlers.get(c.kind)?.batch;
      if (!batch) {
        units.push([c]);
        continue;
      }
      const group = `${c.tenant_id}\u0000${c.kind}`;
      let unit = open.get(group);
      if (!unit || unit.length >= batch.max) {
        unit = [];
        open.set(group, unit);
        units.push(unit);
      }
      unit.push(c);
    }
    return units;
  }

  private async fireTogether(unit: readonly Candidate[], now: Date): Promise<Array<FiredItem['outcome']>> {
    const registration = this.handlers.get(unit[0].kind);
    if (!registration?.batch) return unit.map(() => 'skipped');
    const labels = { scheduler: this.name, kind: unit[0].kind };
    const outcome = await fireBatch(this.options.pool, unit, now, registration.batch.handler, (row) => {
      if (this.metricsOn) schedulerMetrics.lag().observe(labels, Math.max(0, now.getTime() - row.due_at.getTime()) / 1000);
    });
    if (outcome.committed) {
      outcome.reports.forEach((report, i) => this.record(unit[i], report));
      return outcome.reports.map((r) => r.outcome);
    }
    this.log.warn({ scheduler: this.name, kind: unit[0].kind, tenantId: unit[0].tenant_id, items: outcome.alone.length }, 'batch failed; firing its items one at a time');
    const alone = new Map<Candidate, FiredItem['outcome']>();
    for (const c of outcome.alone) alone.set(c, await this.fire(c, now));
    return unit.map((c) => alone.get(c) ?? 'skipped');
  }

  private async fire(candidate: Candidate, now: Date): Promise<FiredItem['outcome']> {
    const registration = this.handlers.get(candidate.kind);
    if (!registration) return 'skipped';
    const labels = { scheduler: this.name, kind: candidate.kind };
    const report = await fireItem(this.options.pool, candidate, now, registration.handler, registration.retry, (row) => {
      if (this.metricsOn) schedulerMetrics.lag().observe(labels, Math.max(0, now.getTime() - row.due_at.getTime()) / 1000);
    });
    this.record(candidate, report);
    return report.outcome;
  }

  private record(c: Candidate, report: FireReport): void {
    const labels = { scheduler: this.name, kind: c.kind };
    const where = { scheduler: this.name, tenantId: c.tenant_id, kind: c.kind, key: c.key };
    if (report.outcome === 'fired' || report.outcome === 'rescheduled') {
      if (this.metricsOn) schedulerMetrics.fired().inc(labels);
      this.log.info({ ...where, outcome: report.outcome, nextDueAt: report.dueAt }, 'scheduled item fired');
    } else if (report.outcome === 'retry' || report.outcome === 'failed') {
      if (this.metricsOn) schedulerMetrics.failures().inc({ ...labels, outcome: report.outcome });
      const entry = { ...where, attempts: report.attempts, retryAt: report.dueAt, error: report.error };
      if (report.outcome === 'failed') this.log.error(entry, 'scheduled item failed; attempts exhausted');
      else this.log.warn(entry, 'scheduled item failed; will retry');
    }
  }

  private async tick(): Promise<Date | undefined> {
    const fired = await this.runDue();
    const kinds = [...this.handlers.keys()];
    if (kinds.length === 0) return undefined;
    const res = await this.options.pool.query<{ next: Date | null }>(NEXT_DUE_SQL, [kinds]);
    const next = res.rows[0]?.next ?? undefined;
    if (next && fired.length > 0 && fired.every((i) => i.outcome === 'skipped')) {
      // What is due is locked by another replica firing it right now: look again shortly rather than spin.
      const soon = new Date(this.clock.now().getTime() + SKIPPED_RECHECK_MS);
      return next > soon ? next : soon;
    }
    return next;
  }
}
