export { runSimulation, SimulationPool } from './simulation-pool';
export type { SimulationPoolOptions, SimulationRunOptions } from './simulation-pool';
