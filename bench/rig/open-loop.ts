/** The open-loop load of the benches: arrivals on a schedule, whatever the system under test does. */
import { performance } from 'node:perf_hooks';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface LoopResult {
  t0: number;
  windowEnd: number;
  end: number;
  scheduled: number;
  launched: number;
}

/**
 * Starts operation i at t0 + i/rate (never earlier; later only when `maxOutstanding` are in flight or a timer fires
 * late, and the latency counts that wait). After the last due time, waits until `settled()` or the drain deadline;
 * operations not started by then are reported as not sent.
 */
export async function openLoop(o: {
  rate: number;
  seconds: number;
  maxOutstanding: number;
  start: (i: number, due: number) => Promise<void>;
  settled: () => boolean;
  /** Interrupted (Ctrl-C): start nothing more, wait for nothing. */
  aborted: () => boolean;
  /** How long after the last due time operations may still settle. */
  drainMs: number;
  /** How long an operation in flight may still take after that. */
  requestTimeoutMs: number;
}): Promise<LoopResult> {
  const scheduled = Math.round(o.rate * o.seconds);
  const t0 = performance.now() + 20;
  const windowEnd = t0 + o.seconds * 1000;
  const deadline = windowEnd + o.drainMs;
  const due = (i: number) => t0 + (i * 1000) / o.rate;
  let next = 0;
  let inFlight = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (next < scheduled && inFlight < o.maxOutstanding && due(next) <= now && now < deadline) {
        const i = next++;
        inFlight++;
        void o.start(i, due(i)).finally(() => {
          inFlight--;
        });
      }
      if (next >= scheduled || now >= deadline || o.aborted()) return resolve();
      setTimeout(tick, Math.max(1, due(next) - now));
    };
    setTimeout(tick, Math.max(0, t0 - performance.now()));
  });
  while (!o.settled() && performance.now() < deadline && !o.aborted()) await sleep(5);
  // Let in-flight work finish so that its result is counted (requests time out after requestTimeoutMs).
  while (inFlight > 0 && performance.now() < deadline + o.requestTimeoutMs && !o.aborted()) await sleep(5);
  return { t0, windowEnd, end: performance.now(), scheduled, launched: next };
}
