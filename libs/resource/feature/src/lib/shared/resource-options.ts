import type { CalendarSpec } from '@pm/shared/scheduling';
import { STANDARD_CALENDAR } from '@pm/resource/domain';

export const RESOURCE_SERVICE = 'resource-service';
export const RESOURCE_OPTIONS = Symbol('RESOURCE_OPTIONS');

export interface ResourceOptions {
  /** Kafka consumer group and inbox name for pm.planning.events; the service name unless a test needs its own. */
  readonly consumerGroupId: string;
  /** The calendar of people registered without one (the tenant default; one for all tenants until tenants can set theirs). */
  readonly defaultCalendar: CalendarSpec;
  /** How often the read models catch up with the store and marked resources are re-evaluated. */
  readonly syncIntervalMs: number;
  /** Budgets set without a threshold warn when the forecast passes this % of the cost baseline. */
  readonly budgetThresholdPercent: number;
}

export function resourceOptions(options: Partial<ResourceOptions> = {}): ResourceOptions {
  return { consumerGroupId: RESOURCE_SERVICE, defaultCalendar: STANDARD_CALENDAR, syncIntervalMs: 250, budgetThresholdPercent: 100, ...options };
}
