import type { Worker } from 'node:worker_threads';

/**
 * One worker thread started ahead of need, so that a job does not wait for a thread to load its modules (about a
 * second for the import worker run as TypeScript, as `npm start` runs the services: half of a 2,000-task import).
 *
 * `take()` hands over the spare (or starts one when there is none: two jobs at once) and the caller owns it from then
 * on, terminating it when its part of the job is done: a job's heap is never reused by the next one. The next spare
 * is started `restartDelayMs` after the taken worker has exited (and the job has ended, when the caller passes its
 * end to `take`), so loading it competes neither with the job nor with
 * what follows it (an import's rows are built and read right after its job: loading a spare at once made the first
 * whole read of a 2,000-task plan 106–134 ms instead of 58 ms). An idle spare does not keep the process alive, and
 * one that fails or exits while idle is dropped (the next `take()` starts afresh).
 */
export class SpareWorker {
  private spare?: { readonly worker: Worker; readonly detach: () => void };
  private closed = false;
  private restart?: NodeJS.Timeout;

  constructor(
    private readonly start: () => Worker,
    private readonly onIdleFailure: (error: Error) => void = () => undefined,
    private readonly restartDelayMs = 30_000,
  ) {}

  /** Starts the spare if there is none (and the pool is not closed). */
  warm(): void {
    if (this.closed || this.spare) return;
    const worker = this.start();
    const failed = (error: Error) => {
      if (this.spare?.worker !== worker) return;
      this.spare = undefined;
      this.onIdleFailure(error);
      void worker.terminate();
    };
    const exited = (code: number) => failed(new Error(`the spare worker exited (${code}) before it was used`));
    worker.on('error', failed);
    worker.once('exit', exited);
    worker.unref();
    // Once taken, the idle-time listeners go: the caller listens for itself.
    this.spare = { worker, detach: () => void worker.off('error', failed).off('exit', exited) };
  }

  /**
   * A started worker for one job; the caller terminates it. The next spare starts `restartDelayMs` after it exits and,
   * when the caller passes `busy`, after that settles too: a job that ends its worker early (its part is done) and goes
   * on without it (the import commits and writes its snapshot) does not get a spare loading beside what it still does.
   */
  take(busy?: Promise<unknown>): Worker {
    const spare = this.spare;
    this.spare = undefined;
    spare?.detach();
    const worker = spare?.worker ?? this.start();
    worker.ref();
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    void Promise.all([exited, busy?.catch(() => undefined)]).then(() => {
      clearTimeout(this.restart);
      this.restart = setTimeout(() => this.warm(), this.restartDelayMs);
      this.restart.unref();
    });
    return worker;
  }

  /** Terminates the spare; no other is started. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.restart);
    const spare = this.spare;
    this.spare = undefined;
    spare?.detach();
    await spare?.worker.terminate();
  }
}
