import { Controller, Get, HttpCode, Post, Put, UseInterceptors } from '@nestjs/common';
import { CommandBus, CommandHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import type { ICommandHandler, IQueryHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { AnyRole, CurrentPrincipal, Roles } from '@pm/platform/auth';
import type { Principal } from '@pm/platform/auth';
import { WritePath } from '@pm/platform/event-store';
import { ZodBody, clientIdSchema } from '@pm/platform/http';
import { AUTOMATIC_RISK_RULE_IDS, riskSettingsAggregate, riskSettingsStreamId, ruleSettingOf } from '@pm/risk/domain';
import type { RiskSettings, RiskSettingsCommand } from '@pm/risk/domain';
import { ApiRiskSettings, ApiRiskSettingsChange } from '../openapi-bodies';
import { CommandCtx, VersionETag } from '../shared/command-context';
import { commandMetadata } from '../shared/request-context';
import type { RequestContext } from '../shared/request-context';
import { requiredText, riskRating } from '../shared/request-schemas';

export class ExecuteRiskSettingsCommand {
  constructor(
    readonly command: RiskSettingsCommand,
    readonly ctx: RequestContext,
  ) {}
}

/** The settings stream is the caller's tenant's own: no tenant can read or change another's. */
@CommandHandler(ExecuteRiskSettingsCommand)
export class ExecuteRiskSettingsHandler implements ICommandHandler<ExecuteRiskSettingsCommand> {
  constructor(private readonly writePath: WritePath) {}

  async execute({ command, ctx }: ExecuteRiskSettingsCommand) {
    const { events, version } = await this.writePath.handle(ctx, riskSettingsAggregate, riskSettingsStreamId(ctx.principal.tenantId), command);
    return { version, events };
  }
}

export class GetRiskSettingsQuery {
  constructor(readonly tenantId: string) {}
}

const settingsJson = (settings: RiskSettings) => ({
  matrix: settings.matrix,
  categories: [...settings.categories.values()],
  // Every rule, as it runs: the tenant's setting, or the default one (`configured: false`).
  automaticRules: AUTOMATIC_RISK_RULE_IDS.map((ruleId) => ({ ...ruleSettingOf(settings.automaticRules, ruleId), configured: settings.automaticRules.has(ruleId) })),
});

@QueryHandler(GetRiskSettingsQuery)
export class GetRiskSettingsHandler implements IQueryHandler<GetRiskSettingsQuery> {
  constructor(private readonly writePath: WritePath) {}

  async execute({ tenantId }: GetRiskSettingsQuery) {
    const { state, version } = await this.writePath.load(riskSettingsAggregate, riskSettingsStreamId(tenantId), tenantId);
    return { version, ...settingsJson(state) };
  }
}

const score = z.number().int().min(1).max(25);
const matrixRequest = z.union([
  z.strictObject({ thresholds: z.strictObject({ medium: score, high: score, critical: score }).describe('The score (probability × impact) from which each rating starts') }),
  z.strictObject({ cells: z.array(z.array(riskRating).length(5)).length(5).describe('Rows by probability 1 … 5, columns by impact 1 … 5') }),
]);
const categoryRequest = z.strictObject({
  categoryId: clientIdSchema,
  name: requiredText(200),
  parentId: clientIdSchema.nullable().optional(),
  description: requiredText(2000).nullable().optional(),
});

@ApiTags('risk settings')
@ApiBearerAuth()
@Controller('risk-settings')
@UseInterceptors(VersionETag)
export class RiskSettingsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  private run(ctx: RequestContext, command: RiskSettingsCommand) {
    return this.commands.execute(new ExecuteRiskSettingsCommand(command, ctx));
  }

  @Get()
  @AnyRole()
  @ApiOperation({ summary: "The tenant's 5x5 risk matrix (revision 0: the built-in one) and risk breakdown structure" })
  @ApiRiskSettings()
  get(@CurrentPrincipal() p: Principal) {
    return this.queries.execute(new GetRiskSettingsQuery(p.tenantId));
  }

  @Put('matrix')
  @Roles('pmo-admin')
  @ApiOperation({ summary: 'Define the matrix from score thresholds or cell by cell; it must rate monotonically (pm.risk.RiskMatrixDefined)' })
  @ApiRiskSettingsChange()
  matrix(@ZodBody(matrixRequest) body: z.output<typeof matrixRequest>, @CommandCtx() ctx: RequestContext) {
    return this.run(ctx, { type: 'DefineRiskMatrix', data: body, metadata: commandMetadata(ctx) });
  }

  @Post('categories')
  @HttpCode(201)
  @Roles('pmo-admin')
  @ApiOperation({ summary: 'Define or rename a category of the risk breakdown structure (pm.risk.RiskCategoryDefined)' })
  @ApiRiskSettingsChange()
  category(@ZodBody(categoryRequest) body: z.output<typeof categoryRequest>, @CommandCtx() ctx: RequestContext) {
    return this.run(ctx, { type: 'DefineRiskCategory', data: body, metadata: commandMetadata(ctx) });
  }
}
