import type { ContractEvent } from '@pm/contracts';
import type { AutomaticRiskEvidence, AutomaticRiskRuleId, AutomaticRiskSubject } from '../register/risk-register.events';
import type { ClearAutomaticRiskSignal, RaiseAutomaticRisk, RecordAutomaticRiskEvidence } from '../register/risk.commands';

/** The event a fact was read from: it becomes the evidence's `events` entry. */
export interface FactSource {
  readonly eventId: string;
  /** The CloudEvents type, e.g. `pm.planning.ProjectEarnedValueCalculated`. */
  readonly eventType: string;
}

export type EarnedValueFigures = ContractEvent<'planning', 'ProjectEarnedValueCalculated'>['data'];

/** Planning's earned value and plan signals of one project (ADR 0303). */
export interface EarnedValueFact {
  readonly kind: 'earned-value';
  readonly source: FactSource;
  readonly figures: EarnedValueFigures;
}

/** A critical task a resource is over-allocated on, as the risk service matched it to planning's critical tasks. */
export interface OverallocatedCriticalTask {
  readonly projectId: string;
  readonly taskId: string;
  readonly minutesOver: number;
  readonly from: string;
  readonly to: string;
}

/** Every critical task the resource is over-allocated on now: the list replaces the previous one (like ResourceOverallocated). */
export interface ResourceAllocationFact {
  readonly kind: 'resource-allocation';
  readonly source: FactSource;
  readonly resourceId: string;
  readonly criticalTasks: readonly OverallocatedCriticalTask[];
}

/** A mitigation action passed its due date (the scheduler's MitigationActionOverdue), as of a day. */
export interface MitigationActionOverdueFact {
  readonly kind: 'mitigation-action-overdue';
  readonly source: FactSource;
  readonly projectId: string;
  readonly riskId: string;
  readonly actionId: string;
  readonly dueOn: string;
  readonly asOf: string;
}

/** A mitigation action was completed: an overdue signal on it clears. */
export interface MitigationActionSettledFact {
  readonly kind: 'mitigation-action-settled';
  readonly source: FactSource;
  readonly projectId: string;
  readonly riskId: string;
  readonly actionId: string;
}

/** A task planning no longer marks critical (TaskScheduleChanged with critical: false): over-allocation on it is no signal now. */
export interface TaskNoLongerCriticalFact {
  readonly kind: 'task-no-longer-critical';
  readonly source: FactSource;
  readonly projectId: string;
  readonly taskId: string;
}

export type SignalFact = EarnedValueFact | ResourceAllocationFact | TaskNoLongerCriticalFact | MitigationActionOverdueFact | MitigationActionSettledFact;

/** How a risk reads, written by the rule from the figures. */
export interface RiskText {
  readonly title: string;
  readonly cause: string;
  readonly event: string;
  readonly effect: string;
}

/** What one rule saw about one subject in one fact: whether the signal is on, and why. */
export interface Observation {
  readonly ruleId: AutomaticRiskRuleId;
  readonly subject: AutomaticRiskSubject;
  readonly firing: boolean;
  readonly evidence: AutomaticRiskEvidence;
  readonly text: RiskText;
}

/**
 * Subjects of a rule that a fact speaks for as a whole (every milestone of a project, every task of a resource): an open
 * signal in that scope the fact does not mention has cleared. Evidence says which event showed it.
 */
export interface AbsentCleared {
  readonly ruleId: AutomaticRiskRuleId;
  readonly inScope: (subject: AutomaticRiskSubject) => boolean;
  readonly evidence: AutomaticRiskEvidence;
}

export interface RuleOutcome {
  readonly observations: readonly Observation[];
  readonly absentCleared: readonly AbsentCleared[];
}

/** Where an automatic risk of one rule and subject stands, as the service keeps it (one record per rule and subject). */
export interface SignalRecord {
  readonly ruleId: AutomaticRiskRuleId;
  readonly subject: AutomaticRiskSubject;
  readonly riskId: string;
  /** 0 for the first risk of this rule and subject; a signal that returns after its risk closed raises generation + 1. */
  readonly generation: number;
  readonly status: 'open' | 'closure-proposed' | 'closed';
  readonly evidence: AutomaticRiskEvidence;
}

/** The records of the scope a fact concerns (a project, a resource, a risk), keyed by `signalKey`. */
export type SignalBook = ReadonlyMap<string, SignalRecord>;

export type SignalDecision =
  | { readonly type: 'raise'; readonly key: string; readonly record: SignalRecord; readonly command: RaiseAutomaticRisk }
  | { readonly type: 'record-evidence'; readonly key: string; readonly record: SignalRecord; readonly command: RecordAutomaticRiskEvidence }
  | { readonly type: 'clear'; readonly key: string; readonly record: SignalRecord; readonly command: ClearAutomaticRiskSignal };

export interface EvaluationContext {
  readonly tenantId: string;
  /** The time of the reaction (the fact's event time): deciders never read a clock. */
  readonly now: string;
}
