import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '@pm/platform/workers';
import { compileSimulation, summarizeSimulation } from '@pm/risk/domain';
import type { BlockResult, SimulationInput, SimulationResult } from '@pm/risk/domain';
import type { WorkerReply, WorkerRequest } from './simulation.protocol';

export interface SimulationPoolOptions {
  /** Worker threads; default os.availableParallelism(), every core. */
  readonly threads?: number;
}

export interface SimulationRunOptions {
  /** Called after each block with the iterations done so far: a job's progress. */
  readonly onProgress?: (iterationsDone: number, iterations: number) => void;
  readonly signal?: AbortSignal;
}

const MAX_THREADS = 256;

/**
 * Worker threads that run a simulation's blocks in parallel. The main thread compiles the input (which validates
 * it), hands each idle worker the next block and merges the blocks in block order with the domain's own
 * summarizeSimulation: the result is the one simulateSchedule gives on one thread, whatever the thread count.
 * Runs on one pool are served one after the other; workers stay up between runs (starting one costs a few
 * hundred milliseconds: TypeScript is compiled on load) and do not keep the process alive while idle.
 */
export class SimulationPool {
  readonly threads: number;
  private readonly workers: Worker[] = [];
  private job = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(options: SimulationPoolOptions = {}) {
    const threads = options.threads ?? availableParallelism();
    if (!Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS) throw new RangeError(`threads must be a whole number in [1, ${MAX_THREADS}]`);
    this.threads = threads;
  }

  run(input: SimulationInput, options: SimulationRunOptions = {}): Promise<SimulationResult> {
    const result = this.queue.then(() => this.runNow(input, options));
    this.queue = result.catch(() => undefined);
    return result;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.queue;
    await Promise.all(this.workers.splice(0).map((worker) => worker.terminate()));
  }

  private runNow(input: SimulationInput, options: SimulationRunOptions): Promise<SimulationResult> {
    if (this.closed) return Promise.reject(new Error('the simulation pool is closed'));
    if (options.signal?.aborted) return Promise.reject(options.signal.reason);
    const sim = compileSimulation(input);
    const job = ++this.job;
    const workers = this.ensureWorkers(Math.min(this.threads, sim.blockCount));
    return new Promise<SimulationResult>((resolve, reject) => {
      const blocks = new Array<BlockResult>(sim.blockCount);
      let next = 0;
      let done = 0;
      let iterationsDone = 0;
      let settled = false;
      const listeners = workers.map((worker) => {
        const dispatch = (): void => {
          if (next < sim.blockCount) worker.postMessage({ kind: 'block', job, block: next++ } satisfies WorkerRequest);
        };
        const onMessage = (reply: WorkerReply): void => {
          if (reply.job !== job || settled) return;
          if (reply.kind === 'failed') return finish(new Error(`simulation worker: ${reply.message}`));
          blocks[reply.result.block] = reply.result;
          done++;
          iterationsDone += reply.result.iterations;
          options.onProgress?.(iterationsDone, sim.settings.iterations);
          if (done === sim.blockCount) finish();
          else dispatch();
        };
        const onError = (error: Error): void => {
          this.forget(worker);
          finish(error);
        };
        const onExit = (code: number): void => {
          this.forget(worker);
          finish(new Error(`a simulation worker stopped (exit code ${code})`));
        };
        return { worker, dispatch, onMessage, onError, onExit };
      });
      const onAbort = (): void => finish(options.signal?.reason ?? new Error('aborted'));
      const finish = (error?: unknown): void => {
        if (settled) return;
        settled = true;
        options.signal?.removeEventListener('abort', onAbort);
        for (const { worker, onMessage, onError, onExit } of listeners) {
          worker.off('message', onMessage).off('error', onError).off('exit', onExit);
          worker.unref();
        }
        if (error !== undefined) return reject(error);
        try {
          resolve(summarizeSimulation(sim, blocks));
        } catch (summaryError) {
          reject(summaryError);
        }
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      for (const { worker, dispatch, onMessage, onError, onExit } of listeners) {
        worker.ref();
        worker.on('message', onMessage).on('error', onError).on('exit', onExit);
        worker.postMessage({ kind: 'load', job, input } satisfies WorkerRequest);
        dispatch();
      }
    });
  }

  private ensureWorkers(count: number): Worker[] {
    while (this.workers.length < count) {
      const worker = startSimulationWorker();
      worker.unref();
      // A worker that fails between runs is dropped and replaced at the next run (a run in progress also fails).
      worker.on('error', () => this.forget(worker)).on('exit', () => this.forget(worker));
      this.workers.push(worker);
    }
    return this.workers.slice(0, count);
  }

  private forget(worker: Worker): void {
    const index = this.workers.indexOf(worker);
    if (index >= 0) this.workers.splice(index, 1);
    void worker.terminate();
  }
}

/** One simulation on a pool of its own, closed afterwards. */
export async function runSimulation(input: SimulationInput, options: SimulationPoolOptions & SimulationRunOptions = {}): Promise<SimulationResult> {
  const pool = new SimulationPool(options);
  try {
    return await pool.run(input, options);
  } finally {
    await pool.close();
  }
}

/** The worker entry sits next to this file (see startWorker for how TypeScript is loaded in the thread). */
function startSimulationWorker(): Worker {
  return startWorker(__filename, 'simulation.worker');
}
