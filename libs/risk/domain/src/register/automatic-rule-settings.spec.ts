import { deciderSpecification } from '@pm/shared/ddd/testing';
import { DEFAULT_AUTOMATIC_RISK_RULES, ruleSettingOf } from './automatic-rule-settings';
import type { ConfigureAutomaticRiskRule } from './automatic-rule-settings';
import { meta, now } from './register.spec-fixtures';
import type { AutomaticRiskRuleConfigured, AutomaticRiskRuleSetting } from './risk-register.events';
import { riskSettingsDecider } from './risk-settings.decider';

const spec = deciderSpecification(riskSettingsDecider);
const configure = (rule: AutomaticRiskRuleSetting): ConfigureAutomaticRiskRule => ({ type: 'ConfigureAutomaticRiskRule', data: rule, metadata: meta });
const configured = (rule: AutomaticRiskRuleSetting): AutomaticRiskRuleConfigured => ({ type: 'AutomaticRiskRuleConfigured', data: { rule, configuredBy: meta.actor, configuredAt: now } });
const spiAt = (minimum: number, enabled = true): AutomaticRiskRuleSetting => ({ ruleId: 'spi-below', enabled, onClear: 'close', minimum });

describe('Risk settings', () => {
  describe('ConfigureAutomaticRiskRule', () => {
    it('sets a rule on or off, its thresholds and what a cleared signal does', () => {
      spec.given([]).when(configure(spiAt(0.85))).then([configured(spiAt(0.85))]);
      spec.given([configured(spiAt(0.85))]).when(configure(spiAt(0.85, false))).then([configured(spiAt(0.85, false))]);
      expect(ruleSettingOf(spec.given([configured(spiAt(0.85))]).state.automaticRules, 'spi-below')).toEqual(spiAt(0.85));
    });

    it('runs every rule on its default until the tenant configures it', () => {
      const rules = spec.given([]).state.automaticRules;
      expect(ruleSettingOf(rules, 'milestone-slip')).toEqual({ ruleId: 'milestone-slip', enabled: true, onClear: 'propose-closure', slipDays: 5 });
      expect(ruleSettingOf(rules, 'cpi-below')).toBe(DEFAULT_AUTOMATIC_RISK_RULES['cpi-below']);
    });

    it('changes nothing when the rule is set as it is, or to its default', () => {
      spec.given([configured(spiAt(0.85))]).when(configure(spiAt(0.85))).thenNothingHappens();
      spec.given([]).when(configure(DEFAULT_AUTOMATIC_RISK_RULES['eac-over-bac'])).thenNothingHappens();
    });

    it('rejects thresholds outside the contract and a float planning does not count', () => {
      spec.given([]).when(configure(spiAt(-0.1))).thenRejects('AUTOMATIC_RULE_THRESHOLD_INVALID', 'invalid');
      spec.given([]).when(configure(spiAt(Number.NaN))).thenRejects('AUTOMATIC_RULE_THRESHOLD_INVALID', 'invalid');
      spec.given([]).when(configure({ ruleId: 'milestone-slip', enabled: true, onClear: 'close', slipDays: 2.5 })).thenRejects('AUTOMATIC_RULE_THRESHOLD_INVALID');
      spec
        .given([])
        .when(configure({ ruleId: 'near-critical-work', enabled: true, onClear: 'close', floatDays: 3 as never, maxCount: 10, maxIncreasePercent: null }))
        .thenRejects('AUTOMATIC_RULE_THRESHOLD_INVALID');
      spec.given([]).when(configure({ ruleId: 'nonsense' } as never)).thenRejects('AUTOMATIC_RULE_SETTING_INVALID');
    });
  });
});
