import type { InjectionToken, Provider } from '@nestjs/common';

/** One dependency the service needs before it should get traffic (PostgreSQL, Kafka, ...). */
export interface ReadinessCheck {
  name: string;
  /** Resolves when the dependency answers; rejects (or times out) when it does not. */
  check: () => Promise<void>;
}

/**
 * Modules may provide `ReadinessCheck[]` under this token, each in its own module: the health
 * endpoint gathers every such provider across the app, not just one. `provideReadinessCheck`
 * is the shorter way to add a single check.
 */
export const READINESS_CHECKS = Symbol.for('pm.observability.readiness-checks');

const READINESS_CHECK_BRAND = Symbol.for('pm.observability.readiness-check');

interface BrandedReadinessCheck extends ReadinessCheck {
  [READINESS_CHECK_BRAND]: true;
}

export function isReadinessCheck(value: unknown): value is ReadinessCheck {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Record<keyof ReadinessCheck, unknown>>;
  return typeof candidate.name === 'string' && candidate.name.length > 0 && typeof candidate.check === 'function';
}

export function isBrandedReadinessCheck(value: unknown): value is ReadinessCheck {
  return isReadinessCheck(value) && (value as Partial<BrandedReadinessCheck>)[READINESS_CHECK_BRAND] === true;
}

export interface ReadinessCheckProviderOptions {
  name: string;
  inject?: InjectionToken[];
  /** Gets the injected dependencies (e.g. a pg Pool) and returns the check to run. */
  useFactory: (...deps: never[]) => ReadinessCheck['check'] | Promise<ReadinessCheck['check']>;
}

/**
 * A provider that registers one readiness check, e.g. in the event store module:
 *
 *   provideReadinessCheck({ name: 'postgres', inject: [PG_POOL],
 *     useFactory: (pool: Pool) => async () => void (await pool.query('select 1')) })
 *
 * Each gets its own token, so any number of modules can add checks without overriding one
 * another (Nest has no multi-providers).
 */
export function provideReadinessCheck(options: ReadinessCheckProviderOptions): Provider {
  const factory = options.useFactory as (...deps: unknown[]) => ReadinessCheck['check'] | Promise<ReadinessCheck['check']>;
  return {
    provide: Symbol(`readiness-check:${options.name}`),
    inject: options.inject ?? [],
    useFactory: async (...deps: unknown[]): Promise<BrandedReadinessCheck> => ({
      name: options.name,
      check: await factory(...deps),
      [READINESS_CHECK_BRAND]: true,
    }),
  };
}
