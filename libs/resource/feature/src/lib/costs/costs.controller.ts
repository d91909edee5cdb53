import { randomUUID } from 'node:crypto';
import { Controller, Get, HttpCode, Inject, Post, Put } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { AnyRole, CurrentPrincipal, Roles } from '@pm/platform/auth';
import type { Principal } from '@pm/platform/auth';
import { ZodBody, ZodParam, clientIdSchema } from '@pm/platform/http';
import { ResourceReadQueries } from '@pm/resource/data-access';
import type { BudgetCommand } from '@pm/resource/domain';
import { RESOURCE_OPTIONS } from '../shared/resource-options';
import type { ResourceOptions } from '../shared/resource-options';
import { commandMetadata, requestContext } from '../shared/request-context';
import { isoDate, moneyBody, text } from '../shared/request-schemas';
import { ExecuteBudgetCommand, ExecuteTimesheetCommand, GetBudgetQuery } from './costs.handler';
import type { TimesheetRequest } from './costs.handler';

const quarterHours = z.number().min(0).max(24).multipleOf(0.25).describe('Hours, in quarter hours');
const submitRequest = z.strictObject({
  timesheetId: z.uuid().optional(),
  resourceId: z.uuid(),
  weekStart: isoDate.describe('The Monday of the week'),
  lines: z
    .array(z.strictObject({ date: isoDate, projectId: z.uuid(), taskId: clientIdSchema.nullable().optional(), hours: quarterHours, overtimeHours: quarterHours.optional() }))
    .min(1)
    .max(200),
});
const rejectRequest = z.strictObject({ reason: text(1000) });
const category = z.enum(['labour', 'equipment', 'materials', 'other']);
const budgetRequest = z.strictObject({
  categories: z.strictObject({ labour: moneyBody, equipment: moneyBody, materials: moneyBody, other: moneyBody }),
  contingency: moneyBody,
  managementReserve: moneyBody,
  thresholdPercent: z.number().int().min(1).max(1000).optional().describe("Defaults to the tenant's threshold"),
});
const expenseRequest = z.strictObject({ expenseId: z.uuid().optional(), category, amount: moneyBody, incurredOn: isoDate });
const forecastRequest = z.strictObject({ estimateToComplete: moneyBody });
const uuid = z.uuid();

@ApiTags('timesheets and budgets')
@ApiBearerAuth()
@Controller()
export class CostsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly reads: ResourceReadQueries,
    @Inject(RESOURCE_OPTIONS) private readonly options: ResourceOptions,
  ) {}

  private timesheet(request: TimesheetRequest, p: Principal) {
    return this.commands.execute(new ExecuteTimesheetCommand(request, requestContext(p)));
  }

  private budget(p: Principal, build: (metadata: BudgetCommand['metadata']) => BudgetCommand) {
    const ctx = requestContext(p);
    return this.commands.execute(new ExecuteBudgetCommand(build(commandMetadata(ctx)), ctx));
  }

  @Post('timesheets')
  @HttpCode(201)
  @Roles('team-member', 'resource-manager', 'pmo-admin')
  @ApiOperation({ summary: "Submit a week of time; a team member only their own (pm.resource.TimesheetSubmitted); 404 PROJECT_UNKNOWN for a line on a project planning did not announce to the caller's tenant" })
  submit(@ZodBody(submitRequest) body: z.output<typeof submitRequest>, @CurrentPrincipal() p: Principal) {
    const lines = body.lines.map((l) => ({ date: l.date, projectId: l.projectId, taskId: l.taskId ?? null, minutes: Math.round(l.hours * 60), overtimeMinutes: Math.round((l.overtimeHours ?? 0) * 60) }));
    return this.timesheet({ kind: 'submit', timesheetId: body.timesheetId ?? randomUUID(), resourceId: body.resourceId, weekStart: body.weekStart, lines }, p);
  }

  @Post('timesheets/:timesheetId/approval')
  @HttpCode(200)
  @Roles('resource-manager', 'project-manager', 'pmo-admin')
  @ApiOperation({ summary: 'Approve: prices each day at the rate in force then (pm.resource.TimesheetApproved, CostIncurred)' })
  approve(@ZodParam('timesheetId', uuid) timesheetId: string, @CurrentPrincipal() p: Principal) {
    return this.timesheet({ kind: 'approve', timesheetId }, p);
  }

  @Post('timesheets/:timesheetId/rejection')
  @HttpCode(200)
  @Roles('resource-manager', 'project-manager', 'pmo-admin')
  @ApiOperation({ summary: 'Send a timesheet back with a reason (pm.resource.TimesheetRejected)' })
  reject(@ZodParam('timesheetId', uuid) timesheetId: string, @ZodBody(rejectRequest) body: z.output<typeof rejectRequest>, @CurrentPrincipal() p: Principal) {
    return this.timesheet({ kind: 'reject', timesheetId, reason: body.reason }, p);
  }

  @Put('projects/:projectId/budget')
  @Roles('pmo-admin', 'project-manager')
  @ApiOperation({ summary: "Set the budget by category with contingency and management reserve (pm.resource.ProjectBudgetSet); 404 PROJECT_UNKNOWN unless planning announced the project to the caller's tenant" })
  async setBudget(@ZodParam('projectId', uuid) projectId: string, @ZodBody(budgetRequest) body: z.output<typeof budgetRequest>, @CurrentPrincipal() p: Principal) {
    const thresholdPercent = body.thresholdPercent ?? (await this.reads.tenantSettings(p.tenantId)).thresholdPercent ?? this.options.budgetThresholdPercent;
    return this.budget(p, (metadata) => ({ type: 'SetProjectBudget', data: { projectId, ...body, thresholdPercent }, metadata }));
  }

  @Post('projects/:projectId/expenses')
  @HttpCode(201)
  @Roles('pmo-admin', 'project-manager', 'resource-manager')
  @ApiOperation({ summary: "Record an expense (pm.resource.CostIncurred); 404 PROJECT_UNKNOWN unless planning announced the project to the caller's tenant" })
  expense(@ZodParam('projectId', uuid) projectId: string, @ZodBody(expenseRequest) body: z.output<typeof expenseRequest>, @CurrentPrincipal() p: Principal) {
    return this.budget(p, (metadata) => ({ type: 'RecordExpense', data: { projectId, ...body, expenseId: body.expenseId ?? randomUUID() }, metadata }));
  }

  @Post('projects/:projectId/forecast')
  @HttpCode(200)
  @Roles('pmo-admin', 'project-manager')
  @ApiOperation({ summary: "Revise the estimate to complete; may publish pm.resource.BudgetThresholdExceeded; 404 PROJECT_UNKNOWN unless planning announced the project to the caller's tenant" })
  forecast(@ZodParam('projectId', uuid) projectId: string, @ZodBody(forecastRequest) body: z.output<typeof forecastRequest>, @CurrentPrincipal() p: Principal) {
    return this.budget(p, (metadata) => ({ type: 'ReviseForecast', data: { projectId, estimateToComplete: body.estimateToComplete }, metadata }));
  }

  @Get('projects/:projectId/budget')
  @AnyRole()
  @ApiOperation({ summary: 'Budget, actual cost to date, estimate to complete and threshold state' })
  getBudget(@ZodParam('projectId', uuid) projectId: string, @CurrentPrincipal() p: Principal) {
    return this.queries.execute(new GetBudgetQuery(p.tenantId, projectId));
  }
}
