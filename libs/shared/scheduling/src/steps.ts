/**
 * Computations in steps (ADR 0021): a generator that pauses (yields) now and then so that a caller with other work
 * waiting (a service's event loop) can let it run in between; draining it at once gives the same result.
 */
export type Steps<T> = Generator<void, T, void>;

/**
 * Iterations of a loop over a plan's tasks or links between two pauses: about a millisecond of work on this
 * machine, so no pause-free stretch of a large plan's calculation grows with the plan (measured under load before
 * steps: 75-270 ms per phase, each phase one stretch). It was 8,192 until steps of that size took 150-180 ms on a
 * loaded machine during a 400,000-task plan's edits; at 1,024 a pause costs one generator resumption per thousand
 * iterations (ADR 0021 amendment). A power of two: `i % STEP_ITERATIONS` is a mask.
 */
export const STEP_ITERATIONS = 1024;

/** Whether loop index `i` ends a stretch: pause after it. */
export const endsStretch = (i: number): boolean => (i & (STEP_ITERATIONS - 1)) === STEP_ITERATIONS - 1;

/** Runs a computation in steps to its end at once. */
export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}
