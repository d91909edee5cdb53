import { invalid } from '@pm/shared/ddd';
import type { DomainError } from '@pm/shared/ddd';
import type { DefaultSpread, DistributionKind, SimulationInput, ThreePointEstimate } from './simulation.types';

export const MAX_ITERATIONS = 1_000_000;
export const MAX_RISK_EVENTS = 10_000;
export const MAX_RISK_IMPACTS = 100_000;
export const MAX_CORRELATION_ENTRIES = 10_000;
export const MAX_CORRELATED_PAIRS = 250_000;
export const MAX_PERCENTILES = 20;
/** Beyond this a number of days or an amount is a unit mistake, as in the scheduling engine. */
export const MAX_MAGNITUDE = 3_000_000;
export const DEFAULT_PERCENTILES = [10, 50, 80, 90, 95] as const;
/** Used when the tenant has set none: 10% shorter to 25% longer than planned, triangular. */
export const DEFAULT_SPREAD: DefaultSpread = { optimistic: -0.1, pessimistic: 0.25, distribution: 'triangular' };

export function inputError(path: string, message: string): DomainError {
  return invalid('SIMULATION_INVALID_INPUT', `${path} ${message}`, { path });
}

export function finiteNumber(value: unknown, path: string, min = -MAX_MAGNITUDE, max = MAX_MAGNITUDE): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw inputError(path, `must be a number in [${min}, ${max}]`);
  }
  return value;
}

export function distributionKind(value: unknown, path: string, fallback: DistributionKind): DistributionKind {
  if (value === undefined) return fallback;
  if (value !== 'pert' && value !== 'triangular') throw inputError(path, 'must be "pert" or "triangular"');
  return value;
}

export function threePoint(value: unknown, path: string, min: number): ThreePointEstimate {
  if (typeof value !== 'object' || value === null) throw inputError(path, 'must be { optimistic, mostLikely, pessimistic }');
  const estimate = value as Partial<ThreePointEstimate>;
  const optimistic = finiteNumber(estimate.optimistic, `${path}.optimistic`, min);
  const mostLikely = finiteNumber(estimate.mostLikely, `${path}.mostLikely`, min);
  const pessimistic = finiteNumber(estimate.pessimistic, `${path}.pessimistic`, min);
  if (!(optimistic <= mostLikely && mostLikely <= pessimistic)) throw inputError(path, 'needs optimistic <= mostLikely <= pessimistic');
  return { optimistic, mostLikely, pessimistic };
}

export function amountOrEstimate(value: unknown, path: string, min: number): ThreePointEstimate {
  if (typeof value === 'number') {
    const amount = finiteNumber(value, path, min);
    return { optimistic: amount, mostLikely: amount, pessimistic: amount };
  }
  return threePoint(value, path, min);
}

export interface SimulationSettings {
  readonly iterations: number;
  readonly seed: number;
  readonly percentiles: readonly number[];
  readonly spread: DefaultSpread;
  readonly criticality: boolean;
  readonly sensitivity: boolean;
}

export function simulationSettings(input: SimulationInput): SimulationSettings {
  if (typeof input !== 'object' || input === null) throw inputError('input', 'must be an object');
  const { iterations, seed } = input;
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > MAX_ITERATIONS) {
    throw inputError('iterations', `must be a whole number in [1, ${MAX_ITERATIONS}]`);
  }
  if (!Number.isSafeInteger(seed)) throw inputError('seed', 'must be a safe integer');
  const percentiles = input.percentiles ?? DEFAULT_PERCENTILES;
  if (!Array.isArray(percentiles) || percentiles.length < 1 || percentiles.length > MAX_PERCENTILES) {
    throw inputError('percentiles', `must list 1 to ${MAX_PERCENTILES} percentiles`);
  }
  percentiles.forEach((p, i) => {
    if (typeof p !== 'number' || !(p > 0 && p < 100)) throw inputError(`percentiles[${i}]`, 'must be a number in (0, 100)');
  });
  const given = input.defaultSpread ?? DEFAULT_SPREAD;
  const spread: DefaultSpread = {
    optimistic: finiteNumber(given.optimistic, 'defaultSpread.optimistic', -1, 0),
    pessimistic: finiteNumber(given.pessimistic, 'defaultSpread.pessimistic', 0, 100),
    distribution: distributionKind(given.distribution, 'defaultSpread.distribution', 'triangular'),
  };
  const criticality = input.outputs?.criticality ?? true;
  const sensitivity = input.outputs?.sensitivity ?? true;
  if (typeof criticality !== 'boolean' || typeof sensitivity !== 'boolean') throw inputError('outputs', 'flags must be booleans');
  return { iterations, seed, percentiles: [...percentiles], spread, criticality, sensitivity };
}
