export const RISK_SERVICE = 'risk-service';
export const RISK_OPTIONS = Symbol('RISK_OPTIONS');

export interface RiskOptions {
  /** How often the read models catch up with the store when no append notification wakes them (ms). */
  readonly pollIntervalMs: number;
  /** Consumer group (and inbox name) of the planning and resource consumer: the service name unless a test sets another. */
  readonly consumerGroupId: string;
  /** Kafka consumer group and inbox name of the plan copy (pm.planning.events); its own, whatever else consumes. */
  readonly planConsumerGroupId: string;
}

export function riskOptions(options: Partial<RiskOptions> = {}): RiskOptions {
  return { pollIntervalMs: 1000, consumerGroupId: RISK_SERVICE, planConsumerGroupId: `${RISK_SERVICE}.plan`, ...options };
}
