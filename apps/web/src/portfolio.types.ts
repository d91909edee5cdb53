/**
 * The reporting service's portfolio item, as far as the screens read it (docs/openapi/reporting-service.json). Written
 * out here because the web app imports no server code (ADR 0600); generating these from the OpenAPI documents is the
 * follow-up once more screens read more of them.
 */
export type Rag = 'green' | 'amber' | 'red' | 'unknown';

export interface HealthReason {
  readonly dimension: 'schedule' | 'cost' | 'risk';
  readonly rag: 'amber' | 'red';
  readonly code: string;
  readonly message: string;
}

export interface Milestone {
  readonly taskId: string;
  readonly name: string | null;
  readonly forecastFinish: string | null;
  readonly slipDays: number | null;
  readonly achieved: boolean;
  readonly overdue: boolean;
}

export interface PortfolioProject {
  readonly projectId: string;
  readonly name: string | null;
  readonly health: { readonly schedule: Rag; readonly cost: Rag; readonly risk: Rag; readonly overall: Rag; readonly reasons: readonly HealthReason[] };
  readonly status: string | null;
  readonly phase: string | null;
  readonly code: string | null;
  readonly priority: string | null;
  readonly startDate: string | null;
  readonly targetFinishDate: string | null;
  readonly currency: string | null;
  readonly pendingChangeRequests: number;
  readonly schedule: {
    readonly bac: number | null;
    readonly pv: number | null;
    readonly ev: number | null;
    readonly ac: number | null;
    readonly eac: number | null;
    readonly forecastFinish: string | null;
    readonly statusDate: string | null;
  } | null;
  readonly risk: { readonly openRisks: number; readonly openIssues: number; readonly p80Finish: string | null } | null;
  readonly spi: number | null;
  readonly cpi: number | null;
  readonly finish: string | null;
  readonly budgetConsumed: number | null;
  readonly nextMilestones: readonly Milestone[];
}

export interface CurrentTo {
  readonly eventId: string;
  readonly recordedAt: string;
}

export interface PortfolioPage {
  readonly asOf: string | null;
  readonly currentTo: CurrentTo | null;
  readonly items: readonly PortfolioProject[];
  readonly next: string | null;
}

export interface ProjectView {
  readonly asOf: string | null;
  readonly currentTo: CurrentTo | null;
  readonly project: PortfolioProject;
}

export const STATUSES = ['initiating', 'planning', 'executing', 'closing', 'closed', 'on-hold', 'cancelled'] as const;
export const HEALTHS = ['green', 'amber', 'red', 'unknown'] as const;
export const SORTS = { name: 'Name', health: 'Health (worst first)', spi: 'SPI (lowest first)', cpi: 'CPI (lowest first)', finish: 'Finish (earliest first)' } as const;
