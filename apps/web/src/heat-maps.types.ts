/** The reporting service's heat maps and risk list as the portfolio screen reads them (docs/openapi/reporting-service.json). */
export interface RiskHeatMapCell {
  readonly probability: number;
  readonly impact: number;
  readonly count: number;
  /** The API path of the risks in this cell (`/portfolio/risks?probability=&impact=`). */
  readonly risks: string;
}

export interface RiskHeatMap {
  readonly asOf: string | null;
  readonly openRisks: number;
  readonly unassessedOpenRisks: number;
  readonly cells: readonly RiskHeatMapCell[];
}

export interface UtilisationCell {
  readonly periodStart: string;
  readonly capacityHours: number;
  readonly demandHours: number;
  readonly utilisationPercent: number | null;
  readonly overAllocated: boolean;
  readonly resources: number;
  readonly overAllocatedResources: number;
}

export interface UtilisationRow {
  readonly key: string | null;
  readonly name: string | null;
  readonly role: string | null;
  readonly cells: readonly UtilisationCell[];
}

export interface UtilisationHeatMap {
  readonly asOf: string | null;
  readonly by: 'resource' | 'role' | 'department';
  readonly interval: 'week' | 'month';
  readonly from: string;
  readonly to: string;
  readonly rows: readonly UtilisationRow[];
}

export interface PortfolioRisk {
  readonly riskId: string;
  readonly projectId: string | null;
  readonly projectName: string | null;
  readonly title: string | null;
  readonly status: string | null;
  readonly probability: number | null;
  readonly impact: number | null;
  readonly score: number | null;
  readonly rating: string | null;
}

export interface PortfolioRisks {
  readonly asOf: string | null;
  readonly total: number;
  readonly items: readonly PortfolioRisk[];
}
