import { parentPort } from 'node:worker_threads';
import { compileSimulation, createBlockWorkspace, runSimulationBlock } from '@pm/risk/domain';
import type { BlockWorkspace, CompiledSimulation } from '@pm/risk/domain';
import type { WorkerReply, WorkerRequest } from './simulation.protocol';

/*
 * A worker thread of the simulation pool: it compiles the run's input once (the same compilation as the main
 * thread's) and then runs the blocks it is handed, reusing one workspace, and sends their typed arrays back
 * without copying them.
 */
let current: { job: number; sim: CompiledSimulation; workspace: BlockWorkspace } | undefined;

const port = parentPort;
if (port === null) throw new Error('simulation.worker runs in a worker thread');

port.on('message', (request: WorkerRequest) => {
  try {
    if (request.kind === 'load') {
      const sim = compileSimulation(request.input);
      current = { job: request.job, sim, workspace: createBlockWorkspace(sim) };
      return;
    }
    if (current?.job !== request.job) throw new Error(`block ${request.block} of job ${request.job} arrived before its input`);
    const result = runSimulationBlock(current.sim, request.block, current.workspace);
    const reply: WorkerReply = { kind: 'block', job: request.job, result };
    const buffers = [result.finish, result.cost, result.criticalCounts, result.eventCounts, result.sensitivitySums].map((a) => a.buffer);
    port.postMessage(reply, buffers);
  } catch (error) {
    const reply: WorkerReply = { kind: 'failed', job: request.job, message: error instanceof Error ? error.message : String(error) };
    port.postMessage(reply);
  }
});
