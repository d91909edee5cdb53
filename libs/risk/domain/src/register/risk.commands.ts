import type { CommandMetadata } from '@pm/shared/ddd';
import type { AutomaticRiskEvidence, AutomaticRiskRuleId, AutomaticRiskSubject, Money, ResponseStrategy, RiskDimension, RiskKind, RiskTaskDelay } from './risk-register.events';
import type { RiskId, RiskProjectId } from './risk.ids';
import type { RiskSettings } from './risk-settings.decider';

type RiskCommandOf<TType extends string, TData> = {
  readonly type: TType;
  readonly data: { readonly riskId: RiskId } & TData;
  readonly metadata: CommandMetadata;
};

/** Probability and impact (1–5) of the dimensions the risk touches; a dimension left out is not touched. */
export type DimensionLevels = Readonly<Partial<Record<RiskDimension, { readonly probability: number; readonly impact: number }>>>;

/**
 * The commands that need the tenant's settings carry them, as loaded by the handler from the settings stream in the
 * same plan: the decider stays pure and the rating is always the current matrix's.
 */
export type IdentifyRisk = RiskCommandOf<
  'IdentifyRisk',
  {
    readonly projectId: RiskProjectId;
    readonly kind: RiskKind;
    readonly title: string;
    readonly cause: string;
    readonly event: string;
    readonly effect: string;
    readonly categoryId: string;
    readonly ownerId?: string | null;
    readonly proximity?: string | null;
    readonly triggers?: readonly string[];
  }
> & { readonly settings: RiskSettings };

export type AssessRisk = RiskCommandOf<
  'AssessRisk',
  {
    readonly inherent: DimensionLevels;
    readonly residual?: DimensionLevels | null;
    /** What the risk costs (threat) or saves (opportunity) if it occurs; one figure for inherent and residual. */
    readonly costImpact?: Money | null;
  }
> & {
  readonly settings: RiskSettings;
};

/** The moves a person decides; `assessed` and `occurred` follow from AssessRisk and RecordRiskOccurrence. */
export type ChangeRiskStatus = RiskCommandOf<'ChangeRiskStatus', { readonly to: 'responding' | 'monitoring' | 'closed'; readonly reason?: string | null }>;
export type AssignRiskOwner = RiskCommandOf<'AssignRiskOwner', { readonly ownerId: string }>;
export type ScheduleRiskReview = RiskCommandOf<'ScheduleRiskReview', { readonly reviewOn: string }>;
export type RecordRiskOccurrence = RiskCommandOf<'RecordRiskOccurrence', { readonly occurredOn: string; readonly description: string }>;
export type PlanRiskResponse = RiskCommandOf<'PlanRiskResponse', { readonly responseId: string; readonly strategy: ResponseStrategy; readonly description: string }>;
export type AddMitigationAction = RiskCommandOf<
  'AddMitigationAction',
  {
    readonly responseId: string;
    readonly actionId: string;
    readonly description: string;
    readonly ownerId: string;
    readonly dueOn: string;
    readonly cost?: Money | null;
  }
>;
export type CompleteMitigationAction = RiskCommandOf<'CompleteMitigationAction', { readonly actionId: string; readonly note?: string | null }>;
export type LinkSecondaryRisk = RiskCommandOf<'LinkSecondaryRisk', { readonly responseId: string; readonly secondaryRiskId: RiskId }>;

/**
 * The plan's tasks a threat delays if it occurs (ADR 0305); replaces the previous link, an empty list clears it.
 * `knownTaskIds`: which of the given task ids the service's plan copy holds as work tasks, as the handler read it in
 * the same plan; null when the copy has no schedule of the project (yet), and then no task id can be checked.
 */
export type DefineRiskScheduleImpact = RiskCommandOf<'DefineRiskScheduleImpact', { readonly tasks: readonly RiskTaskDelay[] }> & {
  readonly knownTaskIds: readonly string[] | null;
};

/**
 * The durable scheduler's commands when a due day has passed (ADR 0302): `now` is the firing time. They decide nothing
 * when the review or action is no longer pending, so a late or repeated firing is harmless. `overdueAt` is the due
 * moment the service computed on the tenant's calendar (`dueMoment`); without it, the end of the due day in UTC.
 */
export type FlagRiskReviewOverdue = RiskCommandOf<'FlagRiskReviewOverdue', { readonly reviewOn: string; readonly overdueAt?: string }>;
export type FlagMitigationActionOverdue = RiskCommandOf<'FlagMitigationActionOverdue', { readonly actionId: string; readonly overdueAt?: string }>
/** Commands of the automatic-risk rules (ADR 0303), decided by the risk service as `service:risk-service`. */
export type RaiseAutomaticRisk = RiskCommandOf<
  'RaiseAutomaticRisk',
  {
    readonly projectId: RiskProjectId;
    readonly ruleId: AutomaticRiskRuleId;
    readonly subject: AutomaticRiskSubject;
    readonly generation: number;
    readonly title: string;
    readonly cause: string;
    readonly event: string;
    readonly effect: string;
    readonly categoryId: string;
    readonly evidence: AutomaticRiskEvidence;
  }
>;
export type RecordAutomaticRiskEvidence = RiskCommandOf<'RecordAutomaticRiskEvidence', { readonly evidence: AutomaticRiskEvidence }>;
export type ClearAutomaticRiskSignal = RiskCommandOf<
  'ClearAutomaticRiskSignal',
  { readonly evidence: AutomaticRiskEvidence; readonly onClear: 'close' | 'propose-closure' }
>;

export type RiskCommand =
  | IdentifyRisk
  | AssessRisk
  | ChangeRiskStatus
  | AssignRiskOwner
  | ScheduleRiskReview
  | RecordRiskOccurrence
  | PlanRiskResponse
  | AddMitigationAction
  | CompleteMitigationAction
  | LinkSecondaryRisk
  | DefineRiskScheduleImpact
  | FlagRiskReviewOverdue
  | FlagMitigationActionOverdue
  | RaiseAutomaticRisk
  | RecordAutomaticRiskEvidence
  | ClearAutomaticRiskSignal;
