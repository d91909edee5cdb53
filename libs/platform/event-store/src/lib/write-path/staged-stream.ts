import type { Aggregate, DomainEvent } from '@pm/shared/ddd';
import type { LoadedAggregate } from './aggregate-loader';
import type { CommittedStream } from './write-path';
import { runInTimeSlices } from '../time-slices';

/** A staged stream seen without its aggregate's types: what committing and snapshotting need. */
export interface AnyStaged {
  readonly aggregate: object;
  readonly streamId: string;
  readonly context: string;
  readonly version: number;
  readonly loaded: { readonly version: number };
  readonly events: readonly DomainEvent[];
  conclude(): Promise<void>;
  /** Whether the committed state may be kept for the next command (aggregates with a snapshot policy). */
  readonly cacheable: boolean;
  /** The state as committed, with what a later load needs to know (version, events since the last snapshot). */
  loadedNow(snapshotTaken: boolean): LoadedAggregate<unknown>;
  snapshotDue(every: number | undefined): { type: string; schemaVersion: number; state: unknown } | null;
  committed(): CommittedStream;
}

/** One stream a plan touched: what was loaded, the state now, and the events decided on it so far. */
export class StagedStream<C, E extends DomainEvent, S> implements AnyStaged {
  private readonly decided: E[] = [];
  private concluded: E[] = [];
  state: S;

  constructor(
    readonly aggregate: Aggregate<C, E, S>,
    readonly streamId: string,
    readonly loaded: LoadedAggregate<S>,
  ) {
    this.state = loaded.state;
  }

  get context(): string {
    return this.aggregate.context;
  }

  get events(): readonly E[] {
    return this.concluded.length === 0 ? this.decided : [...this.decided, ...this.concluded];
  }

  get version(): number {
    return this.loaded.version + this.decided.length + this.concluded.length;
  }

  decide(commands: readonly C[]): E[] {
    const { decider } = this.aggregate;
    const decided: E[] = [];
    for (const command of commands) {
      const events = decider.decide(command, this.state);
      for (const event of events) this.state = decider.evolve(this.state, event);
      decided.push(...events);
    }
    this.decided.push(...decided);
    return decided;
  }

  /** Once per plan, after every decision: the aggregate's own consequences of them (nothing decided, nothing concluded). */
  async conclude(): Promise<void> {
    const { conclude, decider } = this.aggregate;
    if (!conclude || this.decided.length === 0) return;
    const concluded = conclude(this.state, this.decided);
    this.concluded = Array.isArray(concluded) ? concluded : await runInTimeSlices(concluded);
    for (const event of this.concluded) this.state = decider.evolve(this.state, event);
  }

  get cacheable(): boolean {
    return this.aggregate.snapshot !== undefined;
  }

  loadedNow(snapshotTaken: boolean): LoadedAggregate<S> {
    const appended = this.decided.length + this.concluded.length;
    return { state: this.state, version: this.version, sinceSnapshot: snapshotTaken ? 0 : this.loaded.sinceSnapshot + appended };
  }

  /** The snapshot to save after the commit, when the policy asks for one now. */
  snapshotDue(every: number | undefined): { type: string; schemaVersion: number; state: unknown } | null {
    const policy = this.aggregate.snapshot;
    const appended = this.decided.length + this.concluded.length;
    if (!policy || appended === 0) return null;
    const spacing = every ?? Math.max(policy.every, policy.sizeOf?.(this.state) ?? 0);
    if (this.loaded.sinceSnapshot + appended < spacing) return null;
    return { type: policy.type, schemaVersion: policy.schemaVersion, state: this.state };
  }

  committed(): CommittedStream {
    return { streamId: this.streamId, version: this.version, decided: this.decided, concluded: this.concluded, state: this.state };
  }
}
