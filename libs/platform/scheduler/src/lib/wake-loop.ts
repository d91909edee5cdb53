import { backoffDelayMs } from './backoff';
import type { Clock } from './clock';

export interface WakeLoopOptions {
  readonly clock: Clock;
  /** One pass over the work; resolves with when it wants to run next (undefined: at the fallback poll). */
  readonly tick: () => Promise<Date | undefined>;
  /**
   * The longest sleep. Work written by other processes is only seen by polling (or when the next due time this
   * process knows of comes first), so this bounds how late such work can start.
   */
  readonly pollIntervalMs: number;
  /** A failed pass is retried after an exponential pause (database down: no hot loop); this hears about it. */
  readonly onError: (error: unknown, retryInMs: number) => void;
  readonly maxErrorBackoffMs?: number;
}

/**
 * Runs `tick` and then sleeps until the next due time it reports, the fallback poll, or an earlier `wake(at)`,
 * whichever comes first. Not a busy poll: an idle scheduler wakes once per poll interval.
 */
export class WakeLoop {
  private running = false;
  private loop?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private interrupt?: () => void;
  /** When the current sleep ends (epoch ms). */
  private target = Number.POSITIVE_INFINITY;
  /** Earliest wake asked for while a tick was running; the next sleep ends no later than this. */
  private hint = Number.POSITIVE_INFINITY;

  constructor(private readonly options: WakeLoopOptions) {}

  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.interrupt?.();
    await this.loop;
    this.loop = undefined;
  }

  /** Something is due at `at` (default: now); the loop runs by then even if it planned to sleep longer. */
  wake(at: Date = this.options.clock.now()): void {
    if (!this.running) return;
    const when = at.getTime();
    if (!this.interrupt) {
      this.hint = Math.min(this.hint, when);
      return;
    }
    if (when >= this.target) return;
    this.arm(when);
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      this.hint = Number.POSITIVE_INFINITY;
      let next: number;
      try {
        const at = await this.options.tick();
        failures = 0;
        next = at ? at.getTime() : Number.POSITIVE_INFINITY;
      } catch (error) {
        failures++;
        const pause = backoffDelayMs(failures, { baseMs: 250, maxMs: this.options.maxErrorBackoffMs ?? 30_000, jitter: 0.2 });
        this.options.onError(error, pause);
        next = this.options.clock.now().getTime() + pause;
      }
      if (!this.running) break;
      const poll = this.options.clock.now().getTime() + this.options.pollIntervalMs;
      await this.sleepUntil(Math.min(next, this.hint, poll));
    }
  }

  private sleepUntil(target: number): Promise<void> {
    return new Promise<void>((resolve) => {
      this.interrupt = () => {
        clearTimeout(this.timer);
        this.timer = undefined;
        this.interrupt = undefined;
        this.target = Number.POSITIVE_INFINITY;
        resolve();
      };
      this.arm(target);
    });
  }

  private arm(target: number): void {
    clearTimeout(this.timer);
    this.target = target;
    const delay = Math.max(0, target - this.options.clock.now().getTime());
    // setTimeout overflows past ~24.8 days; the poll interval is far below that anyway.
    this.timer = setTimeout(() => this.interrupt?.(), Math.min(delay, 2 ** 31 - 1));
  }
}
