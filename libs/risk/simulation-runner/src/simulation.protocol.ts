import type { BlockResult, SimulationInput } from '@pm/risk/domain';

/** Messages between the pool and its worker threads. `job` tells one run from the next on the same workers. */
export type WorkerRequest =
  | { readonly kind: 'load'; readonly job: number; readonly input: SimulationInput }
  | { readonly kind: 'block'; readonly job: number; readonly block: number };

export type WorkerReply =
  | { readonly kind: 'block'; readonly job: number; readonly result: BlockResult }
  | { readonly kind: 'failed'; readonly job: number; readonly message: string };
