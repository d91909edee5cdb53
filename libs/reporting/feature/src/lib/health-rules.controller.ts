import { Controller, Get, Inject, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Pool } from 'pg';
import { z } from 'zod';
import { AnyRole, CurrentPrincipal, Roles } from '@pm/platform/auth';
import type { Principal } from '@pm/platform/auth';
import { PG_POOL } from '@pm/platform/event-store';
import { ApiProblemResponses, ApiSuccessBody, ProblemException, ZodBody, ZodQuery, zodToOpenApi } from '@pm/platform/http';
import { HealthRulesStore } from '@pm/reporting/data-access';
import type { TenantHealthRules } from '@pm/reporting/data-access';
import { HEALTH_RULE_BOUNDS, amberMustComeBeforeRed } from '@pm/reporting/domain';
import type { HealthRules } from '@pm/reporting/domain';
import { asOfSchema } from './portfolio-report.controller';

const { ratio, count } = HEALTH_RULE_BOUNDS;
const index = z.number().min(ratio.min).max(ratio.max);
const ratioRule = (label: string) =>
  z.strictObject({ amberBelow: index, redBelow: index }).describe(`${label}: amber below \`amberBelow\`, red below \`redBelow\` (redBelow ≤ amberBelow)`);
const whole = z.number().int().min(count.min).max(count.max);
const countRule = (label: string) =>
  z.strictObject({ amberAtLeast: whole, redAtLeast: whole }).describe(`${label}: amber from \`amberAtLeast\`, red from \`redAtLeast\` (amberAtLeast ≤ redAtLeast)`);

const rulesShape = {
  spi: ratioRule('Schedule performance index'),
  cpi: ratioRule('Cost performance index'),
  overdueMilestones: countRule('Overdue milestones'),
  criticalRisks: countRule('Open critical risks'),
  highRisks: countRule('Open high-or-critical risks'),
};

const putRulesRequest = z
  .strictObject({
    ...rulesShape,
    expectedRevision: z.number().int().min(0).max(1_000_000_000).optional().describe('The revision being replaced (0: the defaults); a newer one in force is 409'),
  })
  .superRefine((body, ctx) => {
    for (const v of amberMustComeBeforeRed(body)) ctx.addIssue({ code: 'custom', path: v.path.slice(1).split('/'), message: v.message });
  });
type PutRulesRequest = z.output<typeof putRulesRequest>;

const rulesQuery = z.strictObject({ asOf: asOfSchema });

const rulesView = z.object({
  asOf: z.string().nullable(),
  rules: z.object(rulesShape),
  revision: z.number().int().describe('0: the platform defaults (the tenant has set none)'),
  validFrom: z.string().nullable().describe('When these rules came into force; null for the defaults'),
  setBy: z.string().nullable().describe('The actor who set them (`user:<id>`)'),
});
type RulesView = z.output<typeof rulesView>;

function view(rules: TenantHealthRules, asOf: Date | null): RulesView {
  return { asOf: asOf?.toISOString() ?? null, ...rules };
}

/**
 * A tenant's RAG thresholds (ADR 0503): every role reads them, a PMO admin sets them. Kept by reporting as rows valid
 * from / to, so the portfolio as of a past instant is coloured by the rules in force then.
 */
@ApiTags('portfolio')
@ApiBearerAuth()
@Controller('portfolio/health-rules')
export class HealthRulesController {
  private readonly store: HealthRulesStore;

  constructor(@Inject(PG_POOL) pool: Pool) {
    this.store = new HealthRulesStore(pool);
  }

  @Get()
  @AnyRole()
  @ApiOperation({ summary: "The health (RAG) thresholds of the caller's tenant, now or in force at an instant" })
  @ApiOkResponse({ description: 'The rules, their revision and since when they apply' })
  @ApiSuccessBody(zodToOpenApi(rulesView))
  async get(@ZodQuery(rulesQuery) query: z.output<typeof rulesQuery>, @CurrentPrincipal() principal: Principal): Promise<RulesView> {
    const asOf = query.asOf ?? null;
    return view(await this.store.inForce(principal.tenantId, asOf), asOf);
  }

  @Put()
  @Roles('pmo-admin')
  @ApiOperation({ summary: "Replace the tenant's health thresholds from now on (earlier instants keep the rules they had)" })
  @ApiOkResponse({ description: 'The rules now in force, with their new revision' })
  @ApiSuccessBody(zodToOpenApi(rulesView))
  @ApiProblemResponses(409)
  async put(@ZodBody(putRulesRequest) body: PutRulesRequest, @CurrentPrincipal() principal: Principal): Promise<RulesView> {
    const { expectedRevision, ...rest } = body;
    const rules: HealthRules = rest;
    const saved = await this.store.replace(principal.tenantId, rules, principal.actor, expectedRevision);
    if (!saved) {
      throw new ProblemException({
        status: 409,
        code: 'HEALTH_RULES_REVISION_CONFLICT',
        detail: `The health rules were changed since revision ${expectedRevision}; read them again and retry.`,
        details: { expectedRevision },
      });
    }
    return view(saved, null);
  }
}
