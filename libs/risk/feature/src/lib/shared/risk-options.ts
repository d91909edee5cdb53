export const RISK_SERVICE = 'risk-service';
export const RISK_OPTIONS = Symbol('RISK_OPTIONS');

export interface RiskOptions {
  /** How often the read models catch up with the store when no append notification wakes them (ms). */
  readonly pollIntervalMs: number;
}

export function riskOptions(options: Partial<RiskOptions> = {}): RiskOptions {
  return { pollIntervalMs: 1000, ...options };
}
