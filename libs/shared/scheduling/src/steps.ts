/**
 * Computations in steps (ADR 0021): a generator that pauses (yields) now and then so that a caller with other work
 * waiting (a service's event loop) can let it run in between; draining it at once gives the same result.
 */
export type Steps<T> = Generator<void, T, void>;

/**
 * Iterations of a loop over a plan's tasks or links between two pauses: a few milliseconds of work on this
 * machine, so no pause-free stretch of a 100,000-task plan's calculation grows with the plan (measured under load
 * before: 75-270 ms per phase, each phase one stretch). A power of two: `i % STEP_ITERATIONS` is a mask.
 */
export const STEP_ITERATIONS = 8192;

/** Whether loop index `i` ends a stretch: pause after it. */
export const endsStretch = (i: number): boolean => (i & (STEP_ITERATIONS - 1)) === STEP_ITERATIONS - 1;

/** Runs a computation in steps to its end at once. */
export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}
