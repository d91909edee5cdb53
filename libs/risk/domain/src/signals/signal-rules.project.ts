import { ruleSettingOf } from '../register/automatic-rule-settings';
import type { AutomaticRiskRuleId, AutomaticRiskRuleSetting } from '../register/risk-register.events';
import { daysBetween, evidenceOf, milestoneSubject, percent, projectSubject, shortName, twoDecimals } from './signal-evidence';
import type { AbsentCleared, EarnedValueFact, Observation, RuleOutcome } from './signal.types';

type Rules = ReadonlyMap<AutomaticRiskRuleId, AutomaticRiskRuleSetting>;
type Milestone = EarnedValueFact['figures']['milestones'][number];

function milestoneSlip(fact: EarnedValueFact, rules: Rules): RuleOutcome {
  const setting = ruleSettingOf(rules, 'milestone-slip');
  if (!setting.enabled) return { observations: [], absentCleared: [] };
  const { figures, source } = fact;
  const thresholds = { slipDays: setting.slipDays };
  const observations = figures.milestones.map((m): Observation => {
    const name = shortName(m.name);
    return {
      ruleId: 'milestone-slip',
      subject: milestoneSubject(figures.projectId, m.taskId),
      firing: !m.achieved && m.slipDays > setting.slipDays,
      evidence: evidenceOf(source, { slipDays: m.slipDays }, thresholds, figures.statusDate),
      text: {
        title: `Milestone ${name} forecast ${m.slipDays} working days late`,
        cause: `Milestone ${m.name} is forecast on ${m.forecastFinish}, ${m.slipDays} working days after its baseline date ${m.baselineFinish} (status date ${figures.statusDate}).`,
        event: 'The milestone may be missed by more than the tolerance.',
        effect: 'Work and commitments that depend on the milestone move with it.',
      },
    };
  });
  // A milestone the event leaves out slipped at most as much as the last one it lists (largest slip first): when even
  // that one is within the tolerance, so is every milestone left out, and an open signal on it has cleared.
  const last = figures.milestones.at(-1);
  const absentKnown = !figures.milestonesTruncated || (last !== undefined && last.slipDays <= setting.slipDays);
  const absentCleared: AbsentCleared[] = absentKnown
    ? [{ ruleId: 'milestone-slip', inScope: (s) => s.kind === 'milestone' && s.projectId === figures.projectId, evidence: evidenceOf(source, {}, thresholds, figures.statusDate) }]
    : [];
  return { observations, absentCleared };
}

function overdueMilestones(fact: EarnedValueFact, rules: Rules): RuleOutcome {
  const setting = ruleSettingOf(rules, 'overdue-milestone');
  if (!setting.enabled) return { observations: [], absentCleared: [] };
  const { figures, source } = fact;
  const thresholds = { graceDays: setting.graceDays };
  const overdueDays = (m: Milestone) => daysBetween(m.baselineFinish, figures.statusDate);
  const observations = figures.milestones.map(
    (m): Observation => ({
      ruleId: 'overdue-milestone',
      subject: milestoneSubject(figures.projectId, m.taskId),
      firing: m.overdue && overdueDays(m) > setting.graceDays,
      evidence: evidenceOf(source, { daysOverdue: m.overdue ? overdueDays(m) : 0 }, thresholds, figures.statusDate),
      text: {
        title: `Milestone ${shortName(m.name)} overdue`,
        cause: `Milestone ${m.name} was due on ${m.baselineFinish} in the baseline and is not achieved at the status date ${figures.statusDate}.`,
        event: 'The milestone may not be achieved soon.',
        effect: 'Work and commitments that depend on the milestone are held up.',
      },
    }),
  );
  // Overdue milestones are not all listed when the list is cut; only a complete list, or none overdue, speaks for the rest.
  const absentKnown = !figures.milestonesTruncated || figures.overdueMilestoneCount === 0;
  const absentCleared: AbsentCleared[] = absentKnown
    ? [{ ruleId: 'overdue-milestone', inScope: (s) => s.kind === 'milestone' && s.projectId === figures.projectId, evidence: evidenceOf(source, {}, thresholds, figures.statusDate) }]
    : [];
  return { observations, absentCleared };
}

function projectObservation(fact: EarnedValueFact, ruleId: AutomaticRiskRuleId, firing: boolean, measurements: Record<string, number | null>, thresholds: Record<string, number>, text: Observation['text']): Observation {
  const { figures, source } = fact;
  return { ruleId, subject: projectSubject(figures.projectId), firing, evidence: evidenceOf(source, measurements, thresholds, figures.statusDate), text };
}

function performanceIndex(fact: EarnedValueFact, rules: Rules, ruleId: 'spi-below' | 'cpi-below'): Observation[] {
  const setting = ruleSettingOf(rules, ruleId);
  if (!setting.enabled) return [];
  const { figures } = fact;
  const spi = ruleId === 'spi-below';
  const index = spi ? figures.spi : figures.cpi;
  const name = spi ? 'SPI' : 'CPI';
  const measurements: Record<string, number | null> = spi ? { spi: figures.spi, ev: figures.ev, pv: figures.pv } : { cpi: figures.cpi, ev: figures.ev, ac: figures.ac };
  // No index (nothing planned or spent yet) is no signal either way.
  return [
    projectObservation(fact, ruleId, index !== null && index < setting.minimum, measurements, { minimum: setting.minimum }, {
      title: `${name} below ${setting.minimum}`,
      cause: `${name} is ${index === null ? 'n/a' : twoDecimals(index)} at the status date ${figures.statusDate} (EV ${figures.ev}, ${spi ? `PV ${figures.pv}` : `AC ${figures.ac}`}).`,
      event: spi ? 'The project may keep delivering less work than planned.' : 'The project may keep spending more than the work it delivers is worth.',
      effect: spi ? 'The project finishes later than its baseline.' : 'The project costs more than its budget.',
    }),
  ];
}

function eacOverBac(fact: EarnedValueFact, rules: Rules): Observation[] {
  const setting = ruleSettingOf(rules, 'eac-over-bac');
  if (!setting.enabled) return [];
  const { figures } = fact;
  const overrun = figures.eac === null || figures.bac === 0 ? null : ((figures.eac - figures.bac) / figures.bac) * 100;
  return [
    projectObservation(fact, 'eac-over-bac', overrun !== null && overrun > setting.maxOverrunPercent, { eac: figures.eac, bac: figures.bac, overrunPercent: overrun }, { maxOverrunPercent: setting.maxOverrunPercent }, {
      title: `Forecast cost over budget by more than ${percent(setting.maxOverrunPercent)}`,
      cause: `EAC ${figures.eac ?? 'n/a'} against BAC ${figures.bac} at the status date ${figures.statusDate}${overrun === null ? '' : ` (${percent(overrun)} over)`}.`,
      event: 'The project may overrun its budget.',
      effect: 'More funding is needed or scope has to be cut.',
    }),
  ];
}

/** The count under the rule's float, now and as baselined; an increase from zero is not a percentage. */
function nearCriticalWork(fact: EarnedValueFact, rules: Rules): Observation[] {
  const setting = ruleSettingOf(rules, 'near-critical-work');
  if (!setting.enabled) return [];
  const { figures } = fact;
  const countAt = (list: EarnedValueFact['figures']['nearCritical']) => list.find((c) => c.maxTotalFloatDays === setting.floatDays)?.count ?? 0;
  const count = countAt(figures.nearCritical);
  const baseline = countAt(figures.nearCriticalAtBaseline);
  const increase = baseline === 0 ? null : ((count - baseline) / baseline) * 100;
  const overCount = setting.maxCount !== null && count > setting.maxCount;
  const overIncrease = setting.maxIncreasePercent !== null && increase !== null && increase > setting.maxIncreasePercent;
  const thresholds = { floatDays: setting.floatDays, ...(setting.maxCount !== null ? { maxCount: setting.maxCount } : {}), ...(setting.maxIncreasePercent !== null ? { maxIncreasePercent: setting.maxIncreasePercent } : {}) };
  return [
    projectObservation(fact, 'near-critical-work', overCount || overIncrease, { count, baselineCount: baseline, increasePercent: increase }, thresholds, {
      title: `${count} tasks within ${setting.floatDays} days of the critical path`,
      cause: `${count} unfinished tasks have a total float of at most ${setting.floatDays} working days at the status date ${figures.statusDate}, against ${baseline} in baseline ${figures.baselineNumber}.`,
      event: 'A small delay on any of them may delay the project.',
      effect: 'The finish date becomes fragile.',
    }),
  ];
}

/** Every project-level rule over one ProjectEarnedValueCalculated. */
export function earnedValueRules(fact: EarnedValueFact, rules: Rules): RuleOutcome {
  const slip = milestoneSlip(fact, rules);
  const overdue = overdueMilestones(fact, rules);
  return {
    observations: [
      ...slip.observations,
      ...overdue.observations,
      ...performanceIndex(fact, rules, 'spi-below'),
      ...performanceIndex(fact, rules, 'cpi-below'),
      ...eacOverBac(fact, rules),
      ...nearCriticalWork(fact, rules),
    ],
    absentCleared: [...slip.absentCleared, ...overdue.absentCleared],
  };
}
