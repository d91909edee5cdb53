import type { HealthRules } from './portfolio-health.rules';

/**
 * What a tenant may set its RAG thresholds to (ADR 0503). An index (SPI, CPI) is a ratio around 1: a threshold
 * above 2 would make every project on plan amber, 0 would make none red. Counts are whole numbers from 1 (0 would
 * colour a project with no overdue milestone or risk at all) to 1,000.
 */
export const HEALTH_RULE_BOUNDS = {
  ratio: { min: 0.01, max: 2 },
  count: { min: 1, max: 1_000 },
} as const;

export const RATIO_RULES = ['spi', 'cpi'] as const;
export const COUNT_RULES = ['overdueMilestones', 'criticalRisks', 'highRisks'] as const;

export interface HealthRuleViolation {
  /** JSON Pointer into the rules, e.g. `/spi/redBelow`. */
  readonly path: string;
  readonly message: string;
}

/**
 * Amber must come before red: an index turns red below a lower value than it turns amber (`redBelow <= amberBelow`),
 * a count turns red at a higher number than amber (`amberAtLeast <= redAtLeast`). Equal values are allowed: the
 * tenant then has no amber band for that rule (one critical risk is red at once).
 */
export function amberMustComeBeforeRed(rules: HealthRules): HealthRuleViolation[] {
  const violations: HealthRuleViolation[] = [];
  for (const name of RATIO_RULES) {
    const t = rules[name];
    if (t.redBelow > t.amberBelow) {
      violations.push({ path: `/${name}/redBelow`, message: `must not be above amberBelow (${t.amberBelow}): ${name} turns red below a lower value than amber` });
    }
  }
  for (const name of COUNT_RULES) {
    const t = rules[name];
    if (t.redAtLeast < t.amberAtLeast) {
      violations.push({ path: `/${name}/redAtLeast`, message: `must not be below amberAtLeast (${t.amberAtLeast}): red takes at least as many as amber` });
    }
  }
  return violations;
}
