/** The risk service's answers as the screen reads them (docs/openapi/risk-service.json). */
export interface Figure {
  readonly name: string;
  readonly value: number | null;
}

/** What an automatic risk is about (the risk service's `automatic.subject`): ids only, the screen finds the names. */
export interface AutomaticSubject {
  readonly kind: 'project' | 'milestone' | 'resource-on-task' | 'mitigation-action' | string;
  readonly projectId: string;
  readonly taskId: string | null;
  readonly resourceId: string | null;
  readonly riskId: string | null;
  readonly actionId: string | null;
}

export interface AutomaticInfo {
  readonly ruleId: string;
  readonly subject?: AutomaticSubject | null;
  readonly closureProposed: boolean;
  readonly generation: number;
  readonly evidence: {
    readonly measurements?: readonly Figure[];
    readonly thresholds?: readonly Figure[];
    readonly events?: ReadonlyArray<{ readonly eventId: string; readonly type: string }>;
    readonly asOf?: string | null;
  } | null;
}

export interface RiskItem {
  readonly riskId: string;
  readonly projectId: string;
  readonly kind: string;
  readonly title: string;
  readonly categoryId: string;
  readonly ownerId: string | null;
  readonly status: string;
  readonly rating: string | null;
  readonly inherentScore: number | null;
  readonly residualScore: number | null;
  readonly cell: { readonly probability: number; readonly impact: number } | null;
  readonly origin: string;
  readonly automatic: AutomaticInfo | null;
}

export interface RiskPage {
  readonly items: readonly RiskItem[];
  readonly page: { readonly limit: number; readonly next: string | null };
}

export interface MatrixCell {
  readonly probability: number;
  readonly impact: number;
  readonly count: number;
}

export interface DateBin {
  readonly date: string;
  readonly count: number;
  readonly cumulative: number;
}

export interface SimulationResult {
  readonly iterations: number;
  readonly planned: { readonly finishDate: string };
  readonly finish: {
    readonly percentiles: ReadonlyArray<{ readonly percentile: number; readonly date: string }>;
    readonly histogram: readonly DateBin[];
    readonly probabilityOfPlannedFinish: number;
    readonly probabilityOfTarget?: number;
  };
  readonly tornado: ReadonlyArray<{ readonly kind: string; readonly id: string; readonly sensitivity: number }>;
}

export interface SimulationJob {
  readonly id: string;
  readonly state: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | string;
  readonly progress?: { readonly done: number; readonly total: number };
  readonly result?: SimulationResult | null;
  readonly error?: { readonly code?: string; readonly message?: string } | null;
}
