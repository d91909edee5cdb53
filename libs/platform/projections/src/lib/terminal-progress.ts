import { Presets, SingleBar } from 'cli-progress';
import type { ProgressListener } from './projection.types';

/** A progress bar on stderr for rebuilds run from a terminal; plain lines when stderr is not a TTY. */
export function terminalProgress(label: string): { listener: ProgressListener; stop(): void } {
  const bar = new SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} events | {eta_formatted} left`,
      stream: process.stderr,
      noTTYOutput: true,
      notTTYSchedule: 2000,
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  let started = false;
  return {
    listener: (done, total) => {
      if (!started) {
        bar.start(total, done);
        started = true;
      } else {
        bar.setTotal(total);
        bar.update(done);
      }
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}
