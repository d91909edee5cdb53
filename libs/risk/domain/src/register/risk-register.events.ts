import type { ContractEvent } from '@pm/contracts';

/**
 * Events of the risk register's three aggregates. Each is its published contract's latest version
 * (`pm.risk.<Type>` in libs/contracts): the domain never declares an event shape of its own (ADR 0008).
 */
type RiskContextEvent<TName extends string> = ContractEvent<'risk', TName>;

export type RiskIdentified = RiskContextEvent<'RiskIdentified'>;
export type RiskAssessed = RiskContextEvent<'RiskAssessed'>;
export type RiskStatusChanged = RiskContextEvent<'RiskStatusChanged'>;
export type RiskOwnerAssigned = RiskContextEvent<'RiskOwnerAssigned'>;
export type RiskReviewScheduled = RiskContextEvent<'RiskReviewScheduled'>;
export type RiskOccurred = RiskContextEvent<'RiskOccurred'>;
export type ResponsePlanned = RiskContextEvent<'ResponsePlanned'>;
export type MitigationActionAdded = RiskContextEvent<'MitigationActionAdded'>;
export type MitigationActionCompleted = RiskContextEvent<'MitigationActionCompleted'>;
export type SecondaryRiskLinked = RiskContextEvent<'SecondaryRiskLinked'>;
export type RiskScheduleImpactDefined = RiskContextEvent<'RiskScheduleImpactDefined'>;
export type RiskReviewOverdue = RiskContextEvent<'RiskReviewOverdue'>;
export type MitigationActionOverdue = RiskContextEvent<'MitigationActionOverdue'>
export type AutomaticRiskRaised = RiskContextEvent<'AutomaticRiskRaised'>;
export type AutomaticRiskEvidenceRecorded = RiskContextEvent<'AutomaticRiskEvidenceRecorded'>;
export type AutomaticRiskSignalCleared = RiskContextEvent<'AutomaticRiskSignalCleared'>;

export type IssueRaised = RiskContextEvent<'IssueRaised'>;
export type IssueResolved = RiskContextEvent<'IssueResolved'>;
export type IssueLinkedToChangeRequest = RiskContextEvent<'IssueLinkedToChangeRequest'>;

export type RiskMatrixDefined = RiskContextEvent<'RiskMatrixDefined'>;
export type RiskCategoryDefined = RiskContextEvent<'RiskCategoryDefined'>;
export type AutomaticRiskRuleConfigured = RiskContextEvent<'AutomaticRiskRuleConfigured'>;

export type RiskStreamEvent =
  | RiskIdentified
  | RiskAssessed
  | RiskStatusChanged
  | RiskOwnerAssigned
  | RiskReviewScheduled
  | RiskOccurred
  | ResponsePlanned
  | MitigationActionAdded
  | MitigationActionCompleted
  | SecondaryRiskLinked
  | RiskScheduleImpactDefined
  | RiskReviewOverdue
  | MitigationActionOverdue
  | AutomaticRiskRaised
  | AutomaticRiskEvidenceRecorded
  | AutomaticRiskSignalCleared;
export type IssueEvent = IssueRaised | IssueResolved | IssueLinkedToChangeRequest;
export type RiskSettingsEvent = RiskMatrixDefined | RiskCategoryDefined | AutomaticRiskRuleConfigured;

export type RiskKind = RiskIdentified['data']['kind'];
export type RiskStatus = RiskStatusChanged['data']['to'];
export type RiskRating = RiskAssessed['data']['rating'];
export type Assessment = RiskAssessed['data']['inherent'];
export type RiskDimension = keyof Assessment['dimensions'];
export type DimensionAssessment = NonNullable<Assessment['dimensions'][RiskDimension]>;
export type ResponseStrategy = ResponsePlanned['data']['strategy'];
export type Money = NonNullable<MitigationActionAdded['data']['cost']>;
export type IssueSeverity = IssueRaised['data']['severity'];
export type IssueSource = IssueRaised['data']['source'];
export type RiskMatrixThresholds = NonNullable<RiskMatrixDefined['data']['thresholds']>;
export type AutomaticRiskRuleId = AutomaticRiskRaised['data']['ruleId'];
export type AutomaticRiskSubject = AutomaticRiskRaised['data']['subject'];
export type AutomaticRiskEvidence = AutomaticRiskRaised['data']['evidence'];
export type RiskTaskDelay = RiskScheduleImpactDefined['data']['tasks'][number];
export type AutomaticRiskRuleSetting = AutomaticRiskRuleConfigured['data']['rule'];
