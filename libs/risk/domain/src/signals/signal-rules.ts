import { ruleSettingOf } from '../register/automatic-rule-settings';
import type { AutomaticRiskRuleId, AutomaticRiskRuleSetting } from '../register/risk-register.events';
import { daysBetween, evidenceOf, mitigationActionSubject, resourceOnTaskSubject } from './signal-evidence';
import { earnedValueRules } from './signal-rules.project';
import type { MitigationActionOverdueFact, MitigationActionSettledFact, Observation, ResourceAllocationFact, RuleOutcome, SignalFact, TaskNoLongerCriticalFact } from './signal.types';

type Rules = ReadonlyMap<AutomaticRiskRuleId, AutomaticRiskRuleSetting>;
const nothing: RuleOutcome = { observations: [], absentCleared: [] };

/** The fact lists every critical task the resource is over-allocated on now, so any other open signal of the resource has cleared. */
function overallocatedCriticalTasks(fact: ResourceAllocationFact, rules: Rules): RuleOutcome {
  const setting = ruleSettingOf(rules, 'overallocated-critical-task');
  if (!setting.enabled) return nothing;
  const thresholds = { minMinutesOver: setting.minMinutesOver };
  const observations = fact.criticalTasks.map(
    (t): Observation => ({
      ruleId: 'overallocated-critical-task',
      subject: resourceOnTaskSubject(t.projectId, fact.resourceId, t.taskId),
      firing: t.minutesOver > setting.minMinutesOver,
      evidence: evidenceOf(fact.source, { minutesOver: t.minutesOver }, thresholds, null),
      text: {
        title: 'Resource over-allocated on a critical task',
        cause: `Resource ${fact.resourceId} is over-allocated by ${t.minutesOver} minutes between ${t.from} and ${t.to} while assigned to critical task ${t.taskId}.`,
        event: 'The critical task may not get the work it needs when it needs it.',
        effect: 'The critical task, and with it the project finish, slips.',
      },
    }),
  );
  const absentCleared = [
    {
      ruleId: 'overallocated-critical-task' as const,
      inScope: (s: Observation['subject']) => s.kind === 'resource-on-task' && s.resourceId === fact.resourceId,
      evidence: evidenceOf(fact.source, { criticalTasksOverallocated: fact.criticalTasks.length }, thresholds, null),
    },
  ];
  return { observations, absentCleared };
}

/** Every resource's signal on a task that left the critical path clears, whatever the resource's next finding says. */
function taskNoLongerCritical(fact: TaskNoLongerCriticalFact, rules: Rules): RuleOutcome {
  const setting = ruleSettingOf(rules, 'overallocated-critical-task');
  if (!setting.enabled) return nothing;
  const inScope = (s: Observation['subject']) => s.kind === 'resource-on-task' && s.projectId === fact.projectId && s.taskId === fact.taskId;
  return { observations: [], absentCleared: [{ ruleId: 'overallocated-critical-task', inScope, evidence: evidenceOf(fact.source, { critical: 0 }, { minMinutesOver: setting.minMinutesOver }, null) }] };
}

function mitigationAction(fact: MitigationActionOverdueFact | MitigationActionSettledFact, rules: Rules): RuleOutcome {
  const setting = ruleSettingOf(rules, 'overdue-mitigation-action');
  if (!setting.enabled) return nothing;
  const overdue = fact.kind === 'mitigation-action-overdue';
  const daysOverdue = overdue ? daysBetween(fact.dueOn, fact.asOf) : 0;
  const observation: Observation = {
    ruleId: 'overdue-mitigation-action',
    subject: mitigationActionSubject(fact.projectId, fact.riskId, fact.actionId),
    firing: overdue && daysOverdue > setting.graceDays,
    evidence: evidenceOf(fact.source, { daysOverdue }, { graceDays: setting.graceDays }, overdue ? fact.asOf : null),
    text: {
      title: 'Mitigation action overdue',
      cause: overdue ? `Mitigation action ${fact.actionId} of risk ${fact.riskId} was due on ${fact.dueOn} and is still open on ${fact.asOf}.` : `Mitigation action ${fact.actionId} was completed.`,
      event: 'The response to the risk may not be in place when the risk occurs.',
      effect: 'The risk it mitigates keeps its full exposure.',
    },
  };
  return { observations: [observation], absentCleared: [] };
}

/** What every rule the fact concerns observes in it, under the tenant's settings (rules switched off observe nothing). */
export function observe(fact: SignalFact, rules: Rules): RuleOutcome {
  switch (fact.kind) {
    case 'earned-value':
      return earnedValueRules(fact, rules);
    case 'resource-allocation':
      return overallocatedCriticalTasks(fact, rules);
    case 'task-no-longer-critical':
      return taskNoLongerCritical(fact, rules);
    case 'mitigation-action-overdue':
    case 'mitigation-action-settled':
      return mitigationAction(fact, rules);
    default: {
      const unknown: never = fact;
      return unknown;
    }
  }
}
