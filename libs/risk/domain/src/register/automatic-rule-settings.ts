import { invalid, sameValue } from '@pm/shared/ddd';
import type { CommandMetadata } from '@pm/shared/ddd';
import type { AutomaticRiskRuleConfigured, AutomaticRiskRuleId, AutomaticRiskRuleSetting } from './risk-register.events';

/** A tenant's setting of one automatic-risk rule (ADR 0303), the rule's own thresholds included. */
export type RuleSettingOf<R extends AutomaticRiskRuleId> = Extract<AutomaticRiskRuleSetting, { ruleId: R }>;

/**
 * What a rule does until the tenant configures it: on, closure proposed (a person decides), thresholds from common
 * practice (an SPI or CPI under 0.9 is the usual "amber"; a week of milestone slip; EAC 10% over BAC).
 */
export const DEFAULT_AUTOMATIC_RISK_RULES: { readonly [R in AutomaticRiskRuleId]: RuleSettingOf<R> } = {
  'milestone-slip': { ruleId: 'milestone-slip', enabled: true, onClear: 'propose-closure', slipDays: 5 },
  'spi-below': { ruleId: 'spi-below', enabled: true, onClear: 'propose-closure', minimum: 0.9 },
  'cpi-below': { ruleId: 'cpi-below', enabled: true, onClear: 'propose-closure', minimum: 0.9 },
  'near-critical-work': { ruleId: 'near-critical-work', enabled: true, onClear: 'propose-closure', floatDays: 5, maxCount: null, maxIncreasePercent: 25 },
  'overallocated-critical-task': { ruleId: 'overallocated-critical-task', enabled: true, onClear: 'propose-closure', minMinutesOver: 0 },
  'eac-over-bac': { ruleId: 'eac-over-bac', enabled: true, onClear: 'propose-closure', maxOverrunPercent: 10 },
  'overdue-milestone': { ruleId: 'overdue-milestone', enabled: true, onClear: 'propose-closure', graceDays: 0 },
  'overdue-mitigation-action': { ruleId: 'overdue-mitigation-action', enabled: true, onClear: 'propose-closure', graceDays: 0 },
};

export const AUTOMATIC_RISK_RULE_IDS = Object.keys(DEFAULT_AUTOMATIC_RISK_RULES) as AutomaticRiskRuleId[];

export interface ConfigureAutomaticRiskRule {
  readonly type: 'ConfigureAutomaticRiskRule';
  readonly data: AutomaticRiskRuleSetting;
  readonly metadata: CommandMetadata;
}

/** The tenant's setting of a rule, or the default one. */
export function ruleSettingOf<R extends AutomaticRiskRuleId>(rules: ReadonlyMap<AutomaticRiskRuleId, AutomaticRiskRuleSetting>, ruleId: R): RuleSettingOf<R> {
  return (rules.get(ruleId) as RuleSettingOf<R> | undefined) ?? DEFAULT_AUTOMATIC_RISK_RULES[ruleId];
}

const NEAR_CRITICAL_FLOATS: readonly number[] = [0, 2, 5, 10, 20];
/** Limits of the contract (AutomaticRiskRuleConfigured): a value outside would be refused at append. */
const LIMITS = { days: 3650, index: 10, percent: 10_000 } as const;

function numberMustBeIn(field: string, value: unknown, max: number, integer: boolean): void {
  const ok = typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= max && (!integer || Number.isInteger(value));
  if (!ok) throw invalid('AUTOMATIC_RULE_THRESHOLD_INVALID', `${field} must be ${integer ? 'a whole number' : 'a number'} from 0 to ${max}`, { field, max });
}

/** Every threshold of the rule, checked against the contract; returns the setting with only its rule's fields. */
export function ruleSettingMustBeValid(rule: AutomaticRiskRuleSetting): AutomaticRiskRuleSetting {
  const base = { enabled: rule.enabled, onClear: rule.onClear };
  if (typeof rule.enabled !== 'boolean') throw invalid('AUTOMATIC_RULE_SETTING_INVALID', 'enabled must be true or false');
  if (rule.onClear !== 'close' && rule.onClear !== 'propose-closure') throw invalid('AUTOMATIC_RULE_SETTING_INVALID', 'onClear is close or propose-closure');
  switch (rule.ruleId) {
    case 'milestone-slip':
      numberMustBeIn('slipDays', rule.slipDays, LIMITS.days, true);
      return { ruleId: rule.ruleId, ...base, slipDays: rule.slipDays };
    case 'spi-below':
    case 'cpi-below':
      numberMustBeIn('minimum', rule.minimum, LIMITS.index, false);
      return { ruleId: rule.ruleId, ...base, minimum: rule.minimum };
    case 'near-critical-work':
      if (!NEAR_CRITICAL_FLOATS.includes(rule.floatDays)) throw invalid('AUTOMATIC_RULE_THRESHOLD_INVALID', 'floatDays is one of 0, 2, 5, 10, 20 (what planning counts)');
      if (rule.maxCount !== null) numberMustBeIn('maxCount', rule.maxCount, Number.MAX_SAFE_INTEGER, true);
      if (rule.maxIncreasePercent !== null) numberMustBeIn('maxIncreasePercent', rule.maxIncreasePercent, LIMITS.percent, false);
      return { ruleId: rule.ruleId, ...base, floatDays: rule.floatDays, maxCount: rule.maxCount, maxIncreasePercent: rule.maxIncreasePercent };
    case 'overallocated-critical-task':
      numberMustBeIn('minMinutesOver', rule.minMinutesOver, Number.MAX_SAFE_INTEGER, true);
      return { ruleId: rule.ruleId, ...base, minMinutesOver: rule.minMinutesOver };
    case 'eac-over-bac':
      numberMustBeIn('maxOverrunPercent', rule.maxOverrunPercent, LIMITS.percent, false);
      return { ruleId: rule.ruleId, ...base, maxOverrunPercent: rule.maxOverrunPercent };
    case 'overdue-milestone':
    case 'overdue-mitigation-action':
      numberMustBeIn('graceDays', rule.graceDays, LIMITS.days, true);
      return { ruleId: rule.ruleId, ...base, graceDays: rule.graceDays };
    default:
      throw invalid('AUTOMATIC_RULE_UNKNOWN', 'No such automatic-risk rule', { ruleId: (rule as { ruleId: unknown }).ruleId });
  }
}

/** Setting a rule as it already is (or as its default, never configured) changes nothing. */
export function configureAutomaticRiskRule(command: ConfigureAutomaticRiskRule, rules: ReadonlyMap<AutomaticRiskRuleId, AutomaticRiskRuleSetting>): AutomaticRiskRuleConfigured[] {
  const rule = ruleSettingMustBeValid(command.data);
  if (sameValue(ruleSettingOf(rules, rule.ruleId), rule)) return [];
  return [{ type: 'AutomaticRiskRuleConfigured', data: { rule, configuredBy: command.metadata.actor, configuredAt: command.metadata.now } }];
}
