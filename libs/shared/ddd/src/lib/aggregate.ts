import type { Decider } from './decider';

/** An event as a decider produces it: its type is the contract's name (`TaskAddedToWbs`), its data the contract's data. */
export interface DomainEvent {
  readonly type: string;
  readonly data: unknown;
}

/**
 * How an aggregate's state is kept between commands. The store writes the state with the structured-clone
 * serialisation (`node:v8`), so a state must be plain data: primitives, arrays, plain objects, Maps and Sets (no
 * class instances, no functions). `schemaVersion` names the shape, so a snapshot written by an older fold is ignored
 * rather than misread (the stream is folded from the start and a new snapshot taken). The parameter names the state it keeps.
 */
export interface SnapshotPolicy<State = unknown> {
  readonly type: string;
  readonly schemaVersion: number;
  /** Default spacing in events; a service's configuration may override it. */
  readonly every: number;
  /**
   * The state's size in the units a snapshot's cost grows with (a schedule: its tasks and links). When given, the
   * default spacing is at least that many events: a snapshot costs about as much as folding as many events as the
   * state has entries, so a large state is not written again after every large change (an 80 MB schedule took 2–3 s
   * to write before its command answered). A configured spacing overrides it.
   */
  readonly sizeOf?: (state: State) => number;
}

/**
 * One aggregate of a bounded context, complete: the platform's write path needs nothing else to load, decide,
 * validate and append. `context` names whose contracts its events must satisfy (`pm.<context>.<type>`).
 */
export interface Aggregate<C, E extends DomainEvent, S> {
  /** For logs and metrics, e.g. `planning.schedule`. */
  readonly name: string;
  readonly context: string;
  readonly decider: Decider<C, E, S>;
  /**
   * Consequences the aggregate draws once from everything a plan decided on its stream, appended with it: the
   * schedule's critical-path results. Pure, like `decide`; a refusal here refuses the whole plan. A long computation
   * may come as steps (a generator that pauses between them and returns the events): the write path then lets the
   * service's other work run between steps that took long, instead of holding its event loop throughout.
   */
  readonly conclude?: (state: S, decided: readonly E[]) => E[] | ConcludeSteps<E>;
  readonly snapshot?: SnapshotPolicy<S>;
  /**
   * Large changes (an import) are staged in chunks on a staging stream and committed by one event of this type on
   * the aggregate's stream (ADR 0009): folding that event folds the staged events first.
   */
  readonly staged?: StagedChanges;
}

/** A conclusion computed in steps: each `yield` is a point where the caller may let other work run. */
export type ConcludeSteps<E> = Generator<void, E[], void>;

export interface StagedChanges {
  /** The commit event's type, e.g. `ScheduleImported`. */
  readonly commitType: string;
  /** The chunk events' type on the staging stream, e.g. `ScheduleImportStaged`. */
  readonly chunkType: string;
  /** The staging stream a commit event names. */
  stagingStreamOf(commitData: unknown): string;
}
