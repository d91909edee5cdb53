/**
 * The other tenant's reads of bench:plan, in a worker thread of the bench (see NeighbourReader): the bench's own
 * work (parsing and keeping a 236 MiB schedule read page by page, its collections) held its event loop up to 950 ms
 * at a time, and reads timed on that loop counted the bench's pauses as the service's.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { call } from './rig/http-client';

export interface NeighbourWorkerData {
  readonly port: number;
  readonly token: string;
  readonly projectId: string;
  readonly intervalMs: number;
  readonly maxInFlight: number;
  readonly timeoutMs: number;
  readonly phase: string;
}

/** From the bench: the phase later reads are filed under, or stop. */
export type NeighbourCommand = { readonly phase: string } | { readonly stop: true };

export interface NeighbourResults {
  readonly latencies: Array<[string, number[]]>;
  readonly failures: Array<[string, number]>;
  readonly failureReasons: Array<[string, number]>;
}

const data = workerData as NeighbourWorkerData;
const port = parentPort;
if (!port) throw new Error('plan-neighbour.worker runs as a worker thread');
const agent = new http.Agent({ keepAlive: true, maxSockets: data.maxInFlight });
const latencies = new Map<string, number[]>();
const failures = new Map<string, number>();
const failureReasons = new Map<string, number>();
let phase = data.phase;
let running = true;
let inFlight = 0;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function readOnce(due: number, readPhase: string): Promise<void> {
  inFlight++;
  const list = latencies.get(readPhase) ?? [];
  latencies.set(readPhase, list);
  try {
    const answer = await call({ port: data.port, agent, method: 'GET', path: `/projects/${data.projectId}/schedule`, token: data.token, timeoutMs: data.timeoutMs });
    if (answer.status !== 200) throw new Error(`HTTP ${answer.status}`);
    list.push(performance.now() - due);
  } catch (error) {
    // Counted, and in the percentiles as never answered: a stall longer than the timeout must not vanish from p99.
    list.push(Infinity);
    const reason = `${readPhase}: ${(error as Error).message}`;
    failureReasons.set(reason, (failureReasons.get(reason) ?? 0) + 1);
    failures.set(readPhase, (failures.get(readPhase) ?? 0) + 1);
  } finally {
    inFlight--;
  }
}

const loop = (async () => {
  const t0 = performance.now();
  for (let i = 0; running; i++) {
    const due = t0 + i * data.intervalMs;
    await sleep(Math.max(0, due - performance.now()));
    while (inFlight >= data.maxInFlight && running) await sleep(5);
    if (running) void readOnce(due, phase);
  }
})();

port.on('message', (command: NeighbourCommand) => {
  if ('phase' in command) {
    phase = command.phase;
    return;
  }
  running = false;
  void (async () => {
    await loop;
    // Reads still out are counted when they end (each has its timeout).
    while (inFlight > 0) await sleep(10);
    agent.destroy();
    const results: NeighbourResults = { latencies: [...latencies], failures: [...failures], failureReasons: [...failureReasons] };
    port.postMessage(results);
  })();
});
