import { DomainError } from '@pm/shared/ddd';
import { automaticRuleRequest, ruleSettingFrom } from './automatic-rules.controller';

describe('PUT /risk-settings/automatic-rules/{ruleId} body', () => {
  it("keeps the rule's defaults for thresholds the request leaves out", () => {
    expect(ruleSettingFrom('near-critical-work', { enabled: true, onClear: 'close', maxCount: 12 })).toEqual({
      ruleId: 'near-critical-work', enabled: true, onClear: 'close', floatDays: 5, maxCount: 12, maxIncreasePercent: 25,
    });
  });

  it("refuses another rule's threshold rather than dropping it", () => {
    expect(() => ruleSettingFrom('spi-below', { enabled: true, onClear: 'close', slipDays: 3 })).toThrow(DomainError);
  });

  it('takes only the known fields', () => {
    expect(automaticRuleRequest.safeParse({ enabled: true, onClear: 'close', constructor: 1 }).success).toBe(false);
    expect(automaticRuleRequest.safeParse({ enabled: 'yes', onClear: 'close' }).success).toBe(false);
  });
});
