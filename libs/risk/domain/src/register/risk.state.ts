import type { ExpectedCost } from './risk-money';
import type { Assessment, AutomaticRiskEvidence, AutomaticRiskRuleId, AutomaticRiskSubject, Money, ResponseStrategy, RiskIdentified, RiskKind, RiskRating, RiskStatus, RiskTaskDelay } from './risk-register.events';

export interface RiskResponse {
  readonly responseId: string;
  readonly strategy: ResponseStrategy;
  readonly description: string;
}

export interface MitigationAction {
  readonly actionId: string;
  readonly responseId: string;
  readonly description: string;
  readonly ownerId: string;
  readonly dueOn: string;
  readonly cost: Money | null;
  completed: boolean;
  /** MitigationActionOverdue was raised for it (it stays overdue until completed). */
  overdue: boolean;
}

export interface RiskAssessment {
  readonly inherent: Assessment;
  readonly residual: Assessment | null;
  readonly rating: RiskRating;
  readonly matrixRevision: number;
  readonly costImpact: Money | null;
  readonly expectedCost: ExpectedCost | null;
}

/** What makes a risk automatic (ADR 0303): the rule and subject that raised it, and its latest evidence. */
export interface AutomaticOrigin {
  readonly ruleId: AutomaticRiskRuleId;
  readonly subject: AutomaticRiskSubject;
  /** Which risk of this rule and subject it is: a signal that returns after its risk closed raises the next one. */
  readonly generation: number;
  evidence: AutomaticRiskEvidence;
  /** The signal cleared and the tenant's setting proposes closure: the owner decides; new evidence withdraws it. */
  closureProposed: boolean;
}

/** What a retried IdentifyRisk is compared with: the identification as first recorded. */
export type Identification = Omit<RiskIdentified['data'], 'identifiedBy' | 'identifiedAt'>;

/**
 * A registered risk. The fold updates it in place (ADR 0008); client-chosen ids (responses, actions) key Maps, never
 * plain objects, so an id such as `constructor` is data.
 */
export interface RiskRecord {
  readonly identification: Identification;
  readonly kind: RiskKind;
  ownerId: string | null;
  reviewOn: string | null;
  /** The review date RiskReviewOverdue was raised for; cleared when a new review is scheduled. */
  reviewOverdueOn: string | null;
  assessment: RiskAssessment | null;
  readonly responses: Map<string, RiskResponse>;
  readonly actions: Map<string, MitigationAction>;
  /** Secondary risk id → the response that created it. */
  readonly secondaryRisks: Map<string, string>;
  occurredOn: string | null;
  /** Null for a risk a person identified. */
  automatic: AutomaticOrigin | null;
  /** The plan's tasks the risk delays if it occurs (ADR 0305), in task id order; empty when none is linked. */
  scheduleImpact: readonly RiskTaskDelay[];
}

export interface NoRisk {
  readonly status: 'not-identified';
}

export interface RegisteredRisk {
  status: RiskStatus;
  readonly risk: RiskRecord;
}

export type RiskState = NoRisk | RegisteredRisk;

export const initialRiskState = (): RiskState => ({ status: 'not-identified' });

/** Statuses in which the risk may still be assessed, responded to, owned and reviewed. */
export type OpenRiskStatus = Exclude<RiskStatus, 'closed' | 'occurred'>;
