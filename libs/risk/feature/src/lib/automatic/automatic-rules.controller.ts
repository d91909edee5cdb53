import { Controller, Put, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Roles } from '@pm/platform/auth';
import { ZodBody, ZodParam } from '@pm/platform/http';
import { AUTOMATIC_RISK_RULE_IDS, DEFAULT_AUTOMATIC_RISK_RULES } from '@pm/risk/domain';
import type { AutomaticRiskRuleId, AutomaticRiskRuleSetting } from '@pm/risk/domain';
import { invalid } from '@pm/shared/ddd';
import { ApiRiskSettingsChange } from '../openapi-bodies';
import { CommandCtx, VersionETag } from '../shared/command-context';
import { commandMetadata } from '../shared/request-context';
import type { RequestContext } from '../shared/request-context';
import { ExecuteRiskSettingsCommand } from '../settings/risk-settings.controller';

const ruleIdParam = z.enum(AUTOMATIC_RISK_RULE_IDS as [AutomaticRiskRuleId, ...AutomaticRiskRuleId[]]);
const amount = z.number().min(0);

/** On/off, what a cleared signal does, and the rule's own thresholds (each rule has its own; omitted ones keep their default). */
export const automaticRuleRequest = z.strictObject({
  enabled: z.boolean(),
  onClear: z.enum(['close', 'propose-closure']),
  slipDays: amount.optional().describe('milestone-slip'),
  minimum: amount.optional().describe('spi-below, cpi-below'),
  floatDays: amount.optional().describe('near-critical-work: 0, 2, 5, 10 or 20'),
  maxCount: amount.nullable().optional().describe('near-critical-work (null: off)'),
  maxIncreasePercent: amount.nullable().optional().describe('near-critical-work (null: off)'),
  minMinutesOver: amount.optional().describe('overallocated-critical-task'),
  maxOverrunPercent: amount.optional().describe('eac-over-bac'),
  graceDays: amount.optional().describe('overdue-milestone, overdue-mitigation-action'),
});

/** The rule's setting from the request: a threshold of another rule is refused rather than dropped; the domain checks the values. */
export function ruleSettingFrom(ruleId: AutomaticRiskRuleId, body: z.output<typeof automaticRuleRequest>): AutomaticRiskRuleSetting {
  const defaults: Record<string, unknown> = DEFAULT_AUTOMATIC_RISK_RULES[ruleId];
  const given = Object.entries(body).filter(([, value]) => value !== undefined);
  const foreign = given.map(([name]) => name).filter((name) => !(name in defaults));
  if (foreign.length > 0) throw invalid('AUTOMATIC_RULE_THRESHOLD_UNKNOWN', `${ruleId} has no ${foreign.join(', ')}`, { ruleId, fields: foreign });
  return { ...DEFAULT_AUTOMATIC_RISK_RULES[ruleId], ...Object.fromEntries(given), ruleId } as AutomaticRiskRuleSetting;
}

@ApiTags('risk settings')
@ApiBearerAuth()
@Controller('risk-settings/automatic-rules')
@UseInterceptors(VersionETag)
export class AutomaticRulesController {
  constructor(private readonly commands: CommandBus) {}

  @Put(':ruleId')
  @Roles('pmo-admin')
  @ApiOperation({ summary: "Turn an automatic-risk rule on or off, set its thresholds and what a cleared signal does (pm.risk.AutomaticRiskRuleConfigured; ADR 0303)" })
  @ApiRiskSettingsChange()
  configure(@ZodParam('ruleId', ruleIdParam) ruleId: AutomaticRiskRuleId, @ZodBody(automaticRuleRequest) body: z.output<typeof automaticRuleRequest>, @CommandCtx() ctx: RequestContext) {
    const data = ruleSettingFrom(ruleId, body);
    return this.commands.execute(new ExecuteRiskSettingsCommand({ type: 'ConfigureAutomaticRiskRule', data, metadata: commandMetadata(ctx) }, ctx));
  }
}
