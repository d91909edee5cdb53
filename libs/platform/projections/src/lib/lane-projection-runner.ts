import { START_OF_LOG, prepared, startAppendListener } from '@pm/platform/event-store';
import type { AppendListener, Checkpoint } from '@pm/platform/event-store';
import type { ProgressListener } from './projection.types';
import { rebuildLockKey } from './rebuild-lock';
import { LaneCatchUp } from './lane-catch-up';
import type { LaneCatchUpOptions, LaneCatchUpRequest } from './lane-catch-up';
import { readProjectionCheckpoint, unwatchLag, watchLag } from './store-projection-runner';

/** What each lane's catch-up takes (LaneCatchUpOptions: projection, store, lane batch sizes), and the log reader's own. */
export interface LaneProjectionRunnerOptions extends LaneCatchUpOptions {
  /** Events of the log read per page to find the lanes that changed (default 1,000). */
  readonly readBatchSize?: number;
  /** Lanes applied at once (default 3); each holds a connection while it works. */
  readonly maxConcurrentLanes?: number;
  /** Pages read ahead of the durable checkpoint while lanes work (default 100): the bound on memory. */
  readonly maxPagesAhead?: number;
  readonly pollIntervalMs?: number;
  readonly wakeOnAppend?: boolean;
  readonly onError?: (error: unknown) => void;
}

interface LaneState {
  /** Catch-ups asked for (one per page that named the lane) and the last one finished. */
  requested: number;
  done: number;
  running: boolean;
  queued: boolean;
  failed?: unknown;
}

interface Page {
  readonly checkpoint: Checkpoint;
  readonly events: number;
  /** Per lane, the catch-up that must finish before this page counts as applied. */
  readonly need: ReadonlyMap<string, number>;
}

/**
 * Keeps a lane projection in step with the service's store, one lane per stream (ADR 0010). The log is read in
 * pages only to learn which streams changed; each changed stream is then caught up from its own events, in its
 * own transactions, a few streams at a time. The reader does not wait for a busy lane: it reads on and hands the
 * other lanes their work, so one project's 100,000-task import delays nobody else. The durable checkpoint moves
 * past a page once every lane it named has caught up; a restart re-reads from there and the lanes' versions
 * (stored with their rows) skip what was already applied, so every event takes effect exactly once.
 */
export class LaneProjectionRunner {
  private cursor?: Checkpoint;
  /** The highest log position the lane hints have seen (see hintLanes). */
  private hinted?: string;
  private readonly pages: Page[] = [];
  private readonly lanes = new Map<string, LaneState>();
  private readonly waiting: string[] = [];
  private active = 0;
  private reads: Promise<unknown> = Promise.resolve();
  private advancing: Promise<unknown> = Promise.resolve();
  private listeners: Array<() => void> = [];
  /** The main loop's sleep: ended by an announced append or stop(), not by a lane finishing (nothing new to read). */
  private sleepers: Array<() => void> = [];
  private progress?: { done: number; total: number; listener: ProgressListener };
  private running = false;
  private loop?: Promise<void>;
  private appendListener?: AppendListener;
  private announced = false;

  private readonly lanesOf: LaneCatchUp;

  constructor(private readonly options: LaneProjectionRunnerOptions) {
    this.lanesOf = new LaneCatchUp(options);
  }

  get name(): string {
    return this.options.projection.name;
  }

  async lag(): Promise<number> {
    return this.options.store.countAfter(await this.checkpoint());
  }

  checkpoint(): Promise<Checkpoint> {
    return readProjectionCheckpoint(this.options.pool, this.name);
  }

  /** The stream version a lane has applied (0: nothing yet). */
  laneVersion(streamId: string): Promise<number> {
    return this.lanesOf.laneVersion(streamId);
  }

  /** Catches one lane up now (see LaneCatchUp); reads use it to see their own project's writes. */
  catchUpLane(streamId: string, options: LaneCatchUpRequest = {}): Promise<boolean> {
    return this.lanesOf.catchUpLane(streamId, options);
  }

  /** Applies everything visible now, every lane; returns the number of events of the log read. */
  async catchUp(onProgress?: ProgressListener): Promise<number> {
    this.requeueFailed();
    if (onProgress) this.progress = { done: 0, total: await this.options.store.countAfter(await this.checkpoint()), listener: onProgress };
    let read = 0;
    try {
      for (;;) {
        while (this.pages.length >= (this.options.maxPagesAhead ?? 100) && this.busy) await this.laneChange();
        const n = await this.readPage();
        if (n === 0) break;
        read += n;
      }
      while (this.busy) await this.laneChange();
      await this.advance();
    } finally {
      this.progress = undefined;
    }
    const failed = [...this.lanes.values()].find((s) => s.failed !== undefined);
    if (failed) throw failed.failed;
    return read;
  }

  /**
   * Reads what the log shows now and waits only for the lanes `wanted` picks (one tenant's projects, say): a large
   * lane of somebody else is handed its work but not waited for.
   */
  async catchUpWhere(wanted: (streamId: string) => boolean): Promise<void> {
    this.requeueFailed();
    while ((await this.readPage()) > 0) {
      while (this.pages.length >= (this.options.maxPagesAhead ?? 100) && this.busy) await this.laneChange();
    }
    const pending = () => [...this.lanes].some(([lane, state]) => wanted(lane) && (state.running || state.queued));
    while (pending()) await this.laneChange();
    const failed = [...this.lanes].find(([lane, state]) => wanted(lane) && state.failed !== undefined);
    if (failed) throw failed[1].failed;
  }

  /** Empties the read model and replays the whole log, lane by lane. */
  async rebuild(onProgress?: ProgressListener): Promise<number> {
    await (this.reads = this.reads.then(async () => {
      const tx = await this.options.pool.connect();
      try {
        await tx.query('BEGIN');
        await tx.query('SELECT pg_advisory_xact_lock($1)', [rebuildLockKey(this.name)]);
        await this.options.projection.reset(tx);
        await tx.query('DELETE FROM projection_lanes WHERE projection = $1', [this.name]);
        await tx.query('DELETE FROM projection_checkpoints WHERE projection = $1', [this.name]);
        await tx.query('COMMIT');
      } catch (err) {
        await tx.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        tx.release();
      }
      this.pages.length = 0;
      this.cursor = START_OF_LOG;
      this.hinted = undefined;
    }));
    return this.catchUp(onProgress);
  }

  /** Reads one page of the log and hands its lanes their work; one reader at a time moves the cursor. */
  private readPage(): Promise<number> {
    const next = this.reads.then(async () => {
      this.cursor ??= await this.checkpoint();
      const size = this.options.readBatchSize ?? 1000;
      const events = await this.options.store.readAll(this.cursor, size);
      if (events.length < size) await this.hintLanes();
      if (events.length === 0) return 0;
      const need = new Map<string, number>();
      for (const e of events) {
        if (!need.has(e.streamId) && this.options.projection.followsStream(e.streamId)) need.set(e.streamId, 0);
      }
      for (const lane of need.keys()) need.set(lane, this.kick(lane));
      this.cursor = events[events.length - 1].checkpoint;
      this.pages.push({ checkpoint: this.cursor, events: events.length, need });
      if (need.size === 0) void this.advance();
      return events.length;
    });
    this.reads = next.catch(() => undefined);
    return next;
  }

  /**
   * The xid8-safe read above shows nothing past the oldest transaction still open anywhere on the server (another
   * lane's long import, another service's transaction). Lanes do not need that order, since each reads its own
   * stream by version, so streams with newer positions are caught up at once; only the checkpoint waits.
   */
  private async hintLanes(): Promise<void> {
    this.hinted ??= (this.cursor as Checkpoint).position;
    // Unnamed on purpose (ADR 0023): named, PostgreSQL could keep a generic plan that reads a third of the log (its
    // guess for `> $1`) after five costly catch-ups, and scan the whole table on every later hint.
    const res = await this.options.pool.query<{ stream_id: string; p: string }>(
      `SELECT stream_id, max(global_position)::text AS p FROM es_events WHERE global_position > $1::bigint
        GROUP BY stream_id ORDER BY max(global_position) LIMIT $2`,
      [this.hinted, this.options.readBatchSize ?? 1000],
    );
    for (const { stream_id: lane, p } of res.rows) {
      if (this.options.projection.followsStream(lane)) this.kick(lane);
      if (BigInt(p) > BigInt(this.hinted)) this.hinted = p;
    }
  }

  private kick(lane: string): number {
    let state = this.lanes.get(lane);
    if (!state) this.lanes.set(lane, (state = { requested: 0, done: 0, running: false, queued: false }));
    state.requested++;
    this.enqueue(lane, state);
    return state.requested;
  }

  private enqueue(lane: string, state: LaneState): void {
    if (state.running || state.queued) return;
    state.queued = true;
    this.waiting.push(lane);
    this.dispatch();
  }

  private dispatch(): void {
    while (this.active < (this.options.maxConcurrentLanes ?? 3) && this.waiting.length > 0) {
      const lane = this.waiting.shift() as string;
      const state = this.lanes.get(lane) as LaneState;
      state.queued = false;
      state.running = true;
      this.active++;
      const target = state.requested;
      this.catchUpLane(lane)
        .then(
          () => {
            state.done = Math.max(state.done, target);
            state.failed = undefined;
          },
          (err: unknown) => {
            state.failed = err;
            this.options.onError?.(err);
          },
        )
        .finally(() => {
          state.running = false;
          this.active--;
          if (state.requested > state.done && state.failed === undefined) this.enqueue(lane, state);
          this.dispatch();
          void this.advance();
        });
    }
  }

  private get busy(): boolean {
    return this.active > 0 || this.waiting.length > 0;
  }

  private requeueFailed(): void {
    for (const [lane, state] of this.lanes) {
      if (state.failed === undefined || state.running) continue;
      state.failed = undefined;
      this.enqueue(lane, state);
    }
  }

  /** Moves the durable checkpoint past every leading page whose lanes have all caught up. */
  private advance(): Promise<unknown> {
    this.advancing = this.advancing.then(async () => {
      let last: Page | undefined;
      while (this.pages.length > 0 && [...this.pages[0].need].every(([lane, n]) => (this.lanes.get(lane)?.done ?? 0) >= n)) {
        last = this.pages.shift();
        if (this.progress && last) {
          this.progress.done += last.events;
          this.progress.listener(this.progress.done, Math.max(this.progress.total, this.progress.done));
        }
      }
      if (last) {
        await this.options.pool.query(
          prepared(
            `INSERT INTO projection_checkpoints (projection, transaction_id, position) VALUES ($1, $2::text::xid8, $3)
             ON CONFLICT (projection) DO UPDATE SET transaction_id = EXCLUDED.transaction_id, position = EXCLUDED.position, updated_at = now()
             WHERE (projection_checkpoints.transaction_id, projection_checkpoints.position) < (EXCLUDED.transaction_id, EXCLUDED.position)`,
            [this.name, last.checkpoint.transactionId, last.checkpoint.position],
          ),
        );
      }
      // With no page pending, idle lanes hold nothing anyone waits for: forget them (one entry per project otherwise).
      if (this.pages.length === 0) {
        for (const [lane, state] of this.lanes) if (!state.running && !state.queued && state.failed === undefined) this.lanes.delete(lane);
      }
      for (const listener of this.listeners.splice(0)) listener();
    }).catch((err: unknown) => this.options.onError?.(err));
    return this.advancing;
  }

  /**
   * Resolves when one of this runner's lanes next finishes a catch-up (or an append is announced), or after `ms`
   * at the latest: a read waiting for a lane this process is applying wakes when it is done, not at its next poll.
   */
  laneSettled(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.listeners.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Resolves after the next lane finishes (and the checkpoint was reconsidered). */
  private laneChange(): Promise<void> {
    return new Promise((resolve) => this.listeners.push(resolve));
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    watchLag(this);
    if (this.options.wakeOnAppend !== false) {
      this.appendListener = startAppendListener(this.options.pool, () => this.wake(), (err) => this.options.onError?.(err));
    }
    this.loop = this.run();
  }

  private wake(): void {
    this.announced = true;
    for (const listener of this.listeners.splice(0)) listener();
    for (const sleeper of this.sleepers.splice(0)) sleeper();
  }

  private async run(): Promise<void> {
    const poll = this.options.pollIntervalMs ?? 1000;
    let quick = 0;
    while (this.running) {
      const announced = this.announced;
      this.announced = false;
      if (this.pages.length >= (this.options.maxPagesAhead ?? 100)) {
        await (this.busy ? this.laneChange() : this.sleep(poll));
        this.requeueFailed();
        continue;
      }
      const n = await this.readPage().catch((err: unknown) => {
        this.options.onError?.(err);
        return -1;
      });
      if (n > 0) {
        quick = 0;
        // A page short of full reached the log's horizon (and hinted the lanes past it): the next read waits for the
        // next announced append or the poll, instead of a round of empty reads per commit.
        if (n < (this.options.readBatchSize ?? 1000)) {
          await this.sleep(poll);
          this.requeueFailed();
        }
        continue;
      }
      // Nothing readable yet after an announced append (an older transaction holds the log back): re-read soon.
      quick = n === 0 && announced ? 25 : Math.min(quick * 2, poll);
      await this.sleep(n < 0 ? poll : quick || poll);
      this.requeueFailed();
    }
  }

  private sleep(ms: number): Promise<void> {
    if (!this.running || this.announced) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.sleepers.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  get listening(): boolean {
    return this.appendListener?.listening ?? false;
  }

  async stop(): Promise<void> {
    this.running = false;
    unwatchLag(this);
    await this.appendListener?.stop();
    this.appendListener = undefined;
    for (const listener of this.listeners.splice(0)) listener();
    for (const sleeper of this.sleepers.splice(0)) sleeper();
    await this.loop;
    while (this.busy) await this.laneChange();
  }
}
