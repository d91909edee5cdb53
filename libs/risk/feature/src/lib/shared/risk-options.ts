export const RISK_SERVICE = 'risk-service';
export const RISK_OPTIONS = Symbol('RISK_OPTIONS');

export interface RiskOptions {
  /** How often the read models catch up with the store when no append notification wakes them (ms). */
  readonly pollIntervalMs: number;
  /** Kafka consumer group and inbox name of the plan copy (pm.planning.events); its own, whatever else consumes. */
  readonly planConsumerGroupId: string;
}

export function riskOptions(options: Partial<RiskOptions> = {}): RiskOptions {
  return { pollIntervalMs: 1000, planConsumerGroupId: `${RISK_SERVICE}.plan`, ...options };
}
