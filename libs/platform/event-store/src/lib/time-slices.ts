/**
 * How long a computation in steps runs before letting the event loop run queued work (other tenants' requests,
 * projections): a 100,000-task plan's recalculation held it 440-740 ms in one piece, decoding its snapshot 0.5-1.6 s.
 * Work shorter than this (anything about a plan of a few thousand tasks) never pauses.
 */
export const TIME_SLICE_MS = 10;

/** Runs steps to their end, pausing for one turn of the event loop whenever a slice's time has passed, and once at the end after a long last step. */
export async function runInTimeSlices<T>(steps: Generator<void, T, void>, sliceMs = TIME_SLICE_MS): Promise<T> {
  let since = performance.now();
  for (;;) {
    const step = steps.next();
    if (performance.now() - since >= sliceMs) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      since = performance.now();
    }
    if (step.done) return step.value;
  }
}

/**
 * The time slice of an async loop over many items (a relay's batch of messages): `await slice.pauseIfDue()` after
 * each item lets the event loop run once a slice's time has passed since the last pause, and costs nothing before.
 */
export class TimeSlice {
  private since = performance.now();

  constructor(private readonly sliceMs = TIME_SLICE_MS) {}

  async pauseIfDue(): Promise<void> {
    if (performance.now() - this.since < this.sliceMs) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.since = performance.now();
  }
}
