import { DEFAULT_HEALTH_RULES, projectHealth } from '@pm/reporting/domain';
import type { HealthRules, PortfolioOrderable, ProjectHealth } from '@pm/reporting/domain';
import type { PortfolioMilestone, PortfolioProjectFacts } from '@pm/reporting/data-access';

/** How many of the coming milestones a project shows. */
export const NEXT_MILESTONES = 3;

export interface PortfolioProjectView extends PortfolioProjectFacts, PortfolioOrderable {
  readonly health: ProjectHealth;
  /** AC / BAC; null while either is missing or BAC is 0. */
  readonly budgetConsumed: number | null;
  /** Not yet achieved, earliest forecast first (among the published milestones, largest slip first, at most 200). */
  readonly nextMilestones: readonly PortfolioMilestone[];
}

/**
 * A project as the portfolio shows it: its figures, the health decided from them (the tenant's rules in force at the
 * answer's instant, ADR 0503) and what the sorts read.
 */
export function portfolioProjectView(facts: PortfolioProjectFacts, rules: HealthRules = DEFAULT_HEALTH_RULES): PortfolioProjectView {
  const s = facts.schedule;
  const r = facts.risk;
  const health = projectHealth(
    {
      spi: s?.spi ?? null,
      cpi: s?.cpi ?? null,
      overdueMilestones: s?.overdueMilestones ?? null,
      criticalRisks: r ? r.risksByRating.critical : null,
      highRisks: r ? r.risksByRating.high + r.risksByRating.critical : null,
    },
    rules,
  );
  const nextMilestones = (s?.milestones ?? [])
    .filter((m) => !m.achieved)
    .sort((a, b) => (a.forecastFinish === b.forecastFinish ? (a.taskId < b.taskId ? -1 : 1) : a.forecastFinish < b.forecastFinish ? -1 : 1))
    .slice(0, NEXT_MILESTONES);
  return {
    ...facts,
    health,
    overall: health.overall,
    spi: s?.spi ?? null,
    cpi: s?.cpi ?? null,
    finish: s?.forecastFinish ?? null,
    budgetConsumed: s && s.ac !== null && s.bac ? s.ac / s.bac : null,
    nextMilestones,
  };
}
