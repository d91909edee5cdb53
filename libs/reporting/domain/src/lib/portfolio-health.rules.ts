/**
 * RAG health of a project per dimension, from the figures the portfolio read model holds. Pure: the rules come in
 * (the tenant's, in force at the instant; DEFAULT_HEALTH_RULES until it sets its own, ADR 0503), nothing is read from a clock or a store.
 */
export type Rag = 'green' | 'amber' | 'red';
/** `unknown`: no figure of that dimension exists yet, so no colour is invented. */
export type Health = Rag | 'unknown';
export type HealthDimension = 'schedule' | 'cost' | 'risk';

export interface RatioThresholds {
  /** Amber when the index is below this (and not below `redBelow`). */
  readonly amberBelow: number;
  readonly redBelow: number;
}
export interface CountThresholds {
  /** Amber from this many on (and below `redAtLeast`). */
  readonly amberAtLeast: number;
  readonly redAtLeast: number;
}

export interface HealthRules {
  readonly spi: RatioThresholds;
  readonly cpi: RatioThresholds;
  readonly overdueMilestones: CountThresholds;
  /** Open risks rated critical (by the risk service's matrix). */
  readonly criticalRisks: CountThresholds;
  /** Open risks rated high or critical. */
  readonly highRisks: CountThresholds;
}

/** The thresholds PMOs commonly start from (SPI/CPI 0.95 and 0.85): every tenant's rules until it sets its own. */
export const DEFAULT_HEALTH_RULES: HealthRules = {
  spi: { amberBelow: 0.95, redBelow: 0.85 },
  cpi: { amberBelow: 0.95, redBelow: 0.85 },
  overdueMilestones: { amberAtLeast: 1, redAtLeast: 3 },
  criticalRisks: { amberAtLeast: 1, redAtLeast: 2 },
  highRisks: { amberAtLeast: 3, redAtLeast: 6 },
};

/** What health is decided from; null where no event has published the figure yet. */
export interface HealthFigures {
  readonly spi: number | null;
  readonly cpi: number | null;
  readonly overdueMilestones: number | null;
  readonly criticalRisks: number | null;
  readonly highRisks: number | null;
}

export interface HealthReason {
  readonly dimension: HealthDimension;
  readonly rag: 'amber' | 'red';
  readonly code: 'SPI_LOW' | 'CPI_LOW' | 'MILESTONES_OVERDUE' | 'CRITICAL_RISKS' | 'HIGH_RISKS';
  readonly message: string;
}

export interface ProjectHealth {
  readonly schedule: Health;
  readonly cost: Health;
  readonly risk: Health;
  /** The worst of the three; unknown only when all three are. */
  readonly overall: Health;
  /** Every rule that made a dimension amber or red, worst first. */
  readonly reasons: readonly HealthReason[];
}

const RANK: Readonly<Record<Health, number>> = { unknown: 0, green: 1, amber: 2, red: 3 };

/** Higher is worse: red 3, amber 2, green 1, unknown 0. */
export function healthRank(health: Health): number {
  return RANK[health];
}

function worst(values: readonly Health[]): Health {
  return values.reduce<Health>((acc, h) => (RANK[h] > RANK[acc] ? h : acc), 'unknown');
}

type Finding = { rag: Rag; reason?: HealthReason };

function ratioRule(value: number | null, t: RatioThresholds, dimension: HealthDimension, code: HealthReason['code'], label: string): Finding | null {
  if (value === null) return null;
  const rag: Rag = value < t.redBelow ? 'red' : value < t.amberBelow ? 'amber' : 'green';
  if (rag === 'green') return { rag };
  const bound = rag === 'red' ? t.redBelow : t.amberBelow;
  return { rag, reason: { dimension, rag, code, message: `${label} ${round(value)} is below ${bound}` } };
}

function countRule(value: number | null, t: CountThresholds, dimension: HealthDimension, code: HealthReason['code'], label: string): Finding | null {
  if (value === null) return null;
  const rag: Rag = value >= t.redAtLeast ? 'red' : value >= t.amberAtLeast ? 'amber' : 'green';
  if (rag === 'green') return { rag };
  const bound = rag === 'red' ? t.redAtLeast : t.amberAtLeast;
  return { rag, reason: { dimension, rag, code, message: `${value} ${label} (${rag} from ${bound})` } };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function dimensionOf(findings: readonly (Finding | null)[]): { health: Health; reasons: HealthReason[] } {
  const known = findings.filter((f): f is Finding => f !== null);
  return {
    health: worst(known.map((f) => f.rag)),
    reasons: known.flatMap((f) => (f.reason ? [f.reason] : [])),
  };
}

/** Schedule: SPI and overdue milestones; cost: CPI; risk: open critical and high risks. */
export function projectHealth(figures: HealthFigures, rules: HealthRules = DEFAULT_HEALTH_RULES): ProjectHealth {
  const schedule = dimensionOf([
    ratioRule(figures.spi, rules.spi, 'schedule', 'SPI_LOW', 'SPI'),
    countRule(figures.overdueMilestones, rules.overdueMilestones, 'schedule', 'MILESTONES_OVERDUE', 'overdue milestone(s)'),
  ]);
  const cost = dimensionOf([ratioRule(figures.cpi, rules.cpi, 'cost', 'CPI_LOW', 'CPI')]);
  const risk = dimensionOf([
    countRule(figures.criticalRisks, rules.criticalRisks, 'risk', 'CRITICAL_RISKS', 'open critical risk(s)'),
    countRule(figures.highRisks, rules.highRisks, 'risk', 'HIGH_RISKS', 'open high or critical risk(s)'),
  ]);
  const reasons = [...schedule.reasons, ...cost.reasons, ...risk.reasons].sort((a, b) => RANK[b.rag] - RANK[a.rag]);
  return {
    schedule: schedule.health,
    cost: cost.health,
    risk: risk.health,
    overall: worst([schedule.health, cost.health, risk.health]),
    reasons,
  };
}
