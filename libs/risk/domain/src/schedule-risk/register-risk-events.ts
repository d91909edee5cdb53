import type { Money, RiskTaskDelay } from '../register/risk-register.events';
import { PROBABILITY_BAND_MIDPOINT_PERCENT } from '../register/risk-money';
import { MAX_MAGNITUDE } from '../simulation/simulation.input';
import type { RiskEvent } from '../simulation/simulation.types';

/**
 * The register's open threats as Monte Carlo risk events (ADR 0305). Pure: the job reads the rows and the plan, this
 * decides what each risk adds to the run.
 */

/** An open threat of the register with a task link, as the read model has it. */
export interface RegisterRisk {
  readonly riskId: string;
  /** Probability level (1–5) of the schedule dimension of the current assessment (residual, else inherent); null when not assessed on the schedule. */
  readonly scheduleProbability: number | null;
  readonly costImpact: Money | null;
  readonly tasks: readonly RiskTaskDelay[];
}

export type CostLeftOut = 'no-currency' | 'other-currency' | 'too-large';

export interface RegisterRiskUsed {
  readonly riskId: string;
  /** The engine's risk event id (`register:<riskId>`), as the result's riskEvents and tornado name it. */
  readonly eventId: string;
  readonly probability: number;
  readonly tasks: number;
  /** Linked tasks no longer work tasks of the plan copy (deleted, or made summaries): left out of the run. */
  readonly tasksNotInPlan: number;
  /** The cost it adds when it occurs, in major units of the run's currency; null when none. */
  readonly cost: number | null;
  readonly costLeftOut: CostLeftOut | null;
}

export interface RegisterRiskSkipped {
  readonly riskId: string;
  readonly reason: 'schedule-not-assessed' | 'no-task-in-plan';
}

export interface RegisterRiskEvents {
  readonly riskEvents: RiskEvent[];
  readonly used: RegisterRiskUsed[];
  readonly skipped: RegisterRiskSkipped[];
}

export const registerRiskEventId = (riskId: string): string => `register:${riskId}`;

/** ISO 4217 minor-unit digits (EUR 2, JPY 0, KWD 3), from the runtime's currency data. */
export function minorUnitDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/**
 * The money a risk adds to the simulated cost. The plan's task budgets are amounts of the project's currency in major
 * units; the risk service does not know that currency (ADR 0304: never converted between currencies), so the caller
 * names it, and a cost impact in another currency, or none named, adds no cost (named in the result, never guessed).
 */
function costOf(costImpact: Money | null, currency: string | null): { cost: number | null; costLeftOut: CostLeftOut | null } {
  if (costImpact === null) return { cost: null, costLeftOut: null };
  if (currency === null) return { cost: null, costLeftOut: 'no-currency' };
  if (costImpact.currency !== currency) return { cost: null, costLeftOut: 'other-currency' };
  const cost = costImpact.amountMinor / 10 ** minorUnitDigits(currency);
  // The engine takes amounts up to MAX_MAGNITUDE (a larger one is a unit mistake there); leaving it out keeps the run.
  if (cost > MAX_MAGNITUDE) return { cost: null, costLeftOut: 'too-large' };
  return { cost, costLeftOut: null };
}

/**
 * Probability: the band midpoint of the schedule dimension's level (1 → 5 %, … 5 → 90 %, as the EMV of ADR 0304).
 * Delays: each linked task still in the plan, by its triangular three-point delay; the risk's cost impact as a fixed
 * amount. A risk not assessed on the schedule, or with no linked task left in the plan, is skipped and named.
 */
export function registerRiskEvents(risks: readonly RegisterRisk[], planTaskIds: ReadonlySet<string>, currency: string | null): RegisterRiskEvents {
  const out: RegisterRiskEvents = { riskEvents: [], used: [], skipped: [] };
  for (const risk of risks) {
    const percent = risk.scheduleProbability === null ? undefined : PROBABILITY_BAND_MIDPOINT_PERCENT[risk.scheduleProbability];
    if (percent === undefined) {
      out.skipped.push({ riskId: risk.riskId, reason: 'schedule-not-assessed' });
      continue;
    }
    const inPlan = risk.tasks.filter((t) => planTaskIds.has(t.taskId));
    if (inPlan.length === 0) {
      out.skipped.push({ riskId: risk.riskId, reason: 'no-task-in-plan' });
      continue;
    }
    const eventId = registerRiskEventId(risk.riskId);
    const probability = percent / 100;
    const { cost, costLeftOut } = costOf(risk.costImpact, currency);
    const impacts = inPlan.map(({ taskId, delayDays: d }) => ({ taskId, days: { optimistic: d.min, mostLikely: d.mostLikely, pessimistic: d.max } }));
    out.riskEvents.push({ id: eventId, probability, impacts, ...(cost === null ? {} : { cost }) });
    out.used.push({ riskId: risk.riskId, eventId, probability, tasks: inPlan.length, tasksNotInPlan: risk.tasks.length - inPlan.length, cost, costLeftOut });
  }
  return out;
}
