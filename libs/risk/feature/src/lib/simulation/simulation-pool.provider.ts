import { Injectable } from '@nestjs/common';
import type { BeforeApplicationShutdown, Provider } from '@nestjs/common';
import { SimulationPool } from '@pm/risk/simulation-runner';

/** One long-lived pool per instance, on every core (ADR 0300): a worker costs a few hundred milliseconds to start. */
export const simulationPoolProvider: Provider = { provide: SimulationPool, useFactory: () => new SimulationPool() };

@Injectable()
export class SimulationPoolHost implements BeforeApplicationShutdown {
  constructor(private readonly pool: SimulationPool) {}

  async beforeApplicationShutdown(): Promise<void> {
    await this.pool.close();
  }
}
