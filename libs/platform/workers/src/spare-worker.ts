import type { Worker } from 'node:worker_threads';

/**
 * One worker thread started ahead of need, so that a job does not wait for a thread to load its modules (about a
 * second for the import worker run as TypeScript, as `npm start` runs the services: half of a 2,000-task import).
 *
 * `take()` hands over the spare (or starts one when there is none: two jobs at once) and the caller owns it from then
 * on, terminating it when its job ends, as before: a job's heap is never reused by the next one. The next spare is
 * started once the taken worker has exited, so loading it never competes with the job for the CPU. An idle spare does
 * not keep the process alive, and one that fails or exits while idle is dropped (the next `take()` starts afresh).
 */
export class SpareWorker {
  private spare?: { readonly worker: Worker; readonly detach: () => void };
  private closed = false;

  constructor(
    private readonly start: () => Worker,
    private readonly onIdleFailure: (error: Error) => void = () => undefined,
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

  /** A started worker for one job; the caller terminates it. The next spare starts after it exits. */
  take(): Worker {
    const spare = this.spare;
    this.spare = undefined;
    spare?.detach();
    const worker = spare?.worker ?? this.start();
    worker.ref();
    worker.once('exit', () => this.warm());
    return worker;
  }

  /** Terminates the spare; no other is started. */
  async close(): Promise<void> {
    this.closed = true;
    const spare = this.spare;
    this.spare = undefined;
    spare?.detach();
    await spare?.worker.terminate();
  }
}
