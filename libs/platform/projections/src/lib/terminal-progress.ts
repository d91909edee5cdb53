import { Presets, SingleBar } from 'cli-progress';
import type { ProgressListener } from './projection.types';

/** A progress bar with the rate since it started, on stderr for rebuilds run from a terminal; plain lines when stderr is not a TTY. */
export function terminalProgress(label: string): { listener: ProgressListener; stop(): void } {
  const bar = new SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} events | {rate} events/s | {eta_formatted} left`,
      stream: process.stderr,
      noTTYOutput: true,
      notTTYSchedule: 2000,
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  let started = false;
  let since = 0;
  // A replay settles tens of thousands of messages a second: the bar (and its ETA) is updated at most every 100 ms.
  let shown = 0;
  const rate = (done: number) => ({ rate: since && Date.now() > since ? Math.round((done * 1000) / (Date.now() - since)) : 0 });
  return {
    listener: (done, total) => {
      if (!started) {
        since = Date.now();
        bar.start(total, done, rate(done));
        started = true;
      } else if (done >= total || Date.now() - shown >= 100) {
        shown = Date.now();
        bar.setTotal(total);
        bar.update(done, rate(done));
      }
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}
