import { createBlockWorkspace, runSimulationBlock } from './simulation.block';
import type { BlockResult } from './simulation.block';
import { compileSimulation } from './simulation.compile';
import { summarizeSimulation } from './simulation.summary';
import type { SimulationInput, SimulationResult } from './simulation.types';

/**
 * The whole simulation on the calling thread. `@pm/risk/simulation-runner` runs the same blocks on worker threads
 * and merges them the same way, so both give the same result for the same input and seed.
 */
export function simulateSchedule(input: SimulationInput): SimulationResult {
  const sim = compileSimulation(input);
  const workspace = createBlockWorkspace(sim);
  const blocks: BlockResult[] = [];
  for (let block = 0; block < sim.blockCount; block++) blocks.push(runSimulationBlock(sim, block, workspace));
  return summarizeSimulation(sim, blocks);
}
