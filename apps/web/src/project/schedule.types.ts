// Response shapes of the planning and reporting APIs this screen reads, written from docs/openapi/*.json and the
// planning read model (the web app may not import server code; see portfolio.types.ts).

export type TaskKind = 'summary' | 'task' | 'milestone';
export type LinkType = 'FS' | 'SS' | 'FF' | 'SF';

export interface ScheduleTask {
  readonly taskId: string;
  readonly name: string;
  readonly kind: TaskKind;
  readonly wbsCode: string;
  readonly outlineLevel: number;
  readonly parentId: string | null;
  readonly durationDays: number;
  readonly percentComplete: number;
  /** Absent until the critical-path calculation has dated the task (a summary: any of its work packages). */
  readonly start?: string;
  readonly finish?: string;
  readonly earlyStart?: string;
  readonly earlyFinish?: string;
  readonly lateStart?: string;
  readonly lateFinish?: string;
  /** Working days. */
  readonly totalFloat?: number;
  readonly freeFloat?: number;
  readonly critical?: boolean;
}

export interface ScheduleLink {
  readonly dependencyId: string;
  readonly predecessorId: string;
  readonly successorId: string;
  readonly type: LinkType;
  readonly lagDays: number;
}

export interface Schedule {
  readonly projectId: string;
  /** The schedule stream's version this answer is current to (also the ETag). */
  readonly version: number;
  readonly projectStart: string;
  readonly projectFinish: string;
  readonly statusDate: string | null;
  readonly criticalPaths: ReadonlyArray<readonly string[]>;
  readonly tasks: readonly ScheduleTask[];
  readonly dependencies: readonly ScheduleLink[];
  readonly page?: { readonly next: string | null };
}

/** What every schedule command answers: the stream version after it and the events decided and recalculated. */
export interface ScheduleCommandResult {
  readonly projectId: string;
  readonly version: number;
  readonly changes: ReadonlyArray<{ type: string; data: unknown }>;
  readonly calculation: ReadonlyArray<{ type: string; data: unknown }>;
}

export interface Variance<T> {
  readonly baseline: T;
  readonly current: T;
  readonly variance: number;
}

export interface TaskVariance {
  readonly taskId: string;
  readonly wbsCode: string;
  readonly name: string;
  readonly start: Variance<string>;
  readonly finish: Variance<string>;
  readonly durationDays: Variance<number>;
  readonly cost: Variance<number>;
  readonly workHours: Variance<number>;
}

export interface VarianceView {
  readonly baselineNumber: number;
  readonly project: (Omit<TaskVariance, 'taskId' | 'wbsCode' | 'name'> & { baselineNumber: number }) | null;
  readonly tasks: readonly TaskVariance[];
}

export interface EacVariants<T> {
  readonly atCurrentCpi: T;
  readonly atBudgetedRate: T;
  readonly [variant: string]: T;
}

export interface EarnedValueMetrics {
  readonly bac: number;
  readonly pv: number;
  readonly ev: number;
  readonly ac: number;
  readonly sv: number;
  readonly cv: number;
  readonly spi: number | null;
  readonly cpi: number | null;
  readonly eac: EacVariants<number | null>;
  readonly vac: EacVariants<number | null>;
  readonly tcpiToBac: number | null;
}

export interface EarnedValueView {
  readonly statusDate: string;
  readonly baselineNumber: number;
  readonly project: EarnedValueMetrics;
}

export interface SCurve {
  readonly currency: string | null;
  readonly interval: 'week' | 'month';
  readonly points: ReadonlyArray<{ periodEnd: string; pv: number | null; ev: number | null; ac: number | null }>;
}

export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface ImportJob {
  readonly id: string;
  readonly state: JobState;
  readonly progress: { readonly done: number; readonly total: number; readonly percent: number } | null;
  readonly result: { readonly tasks?: number; readonly links?: number } | null;
  readonly error: { readonly code: string; readonly message: string } | null;
}

/** The project as planning's own stream tells it: `status` is the lifecycle phase; a requested gate is pending. */
export interface PlanningProject {
  readonly projectId: string;
  readonly version: number;
  readonly status: string;
  readonly state: {
    readonly project?: { readonly profile?: { readonly name?: string; readonly currency?: string }; readonly pendingGateId?: string | null; readonly statusDate?: string | null };
  };
}
