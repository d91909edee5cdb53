import { randomUUID } from 'node:crypto';
import { Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CurrentPrincipal, Roles } from '@pm/platform/auth';
import type { Principal } from '@pm/platform/auth';
import { ZodBody } from '@pm/platform/http';
import { ResourceReadQueries } from '@pm/resource/data-access';
import { WritePath } from '@pm/platform/event-store';
import { levelResources, levellingProposalAggregate, levellingStreamId } from '@pm/resource/domain';
import type { LevellingProposed, ProposeLevelling } from '@pm/resource/domain';
import { createWorkingCalendar } from '@pm/shared/scheduling';
import { RESOURCE_OPTIONS } from '../shared/resource-options';
import type { ResourceOptions } from '../shared/resource-options';
import { commandMetadata, requestContext } from '../shared/request-context';
import { hasCapacity } from '../capacity/capacity.calculator';
import { buildLevellingInput, earliestStart, toDated } from './levelling-input.builder';

const proposalRequest = z.strictObject({
  projectId: z.uuid().nullable().optional().describe('Omit for the whole portfolio'),
  maxDelayDays: z.number().int().min(0).max(1000).default(250).describe('Beyond this a conflict is reported, not levelled'),
  priorities: z
    .record(z.string().min(1).max(200), z.number().int().min(0).max(1000))
    .default({})
    .describe("Task priority 0..1000 by task id (or `projectId/taskId`); default: the project's priority (low 250, medium 500, high 750, critical 1000)"),
});

@ApiTags('levelling')
@ApiBearerAuth()
@Controller('levelling-proposals')
export class LevellingController {
  constructor(
    private readonly reads: ResourceReadQueries,
    private readonly writePath: WritePath,
    @Inject(RESOURCE_OPTIONS) private readonly options: ResourceOptions,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles('pmo-admin', 'project-manager', 'resource-manager')
  @ApiOperation({ summary: 'Compute and publish a levelling proposal for a project or the portfolio (pm.resource.LevellingProposed)' })
  async propose(@ZodBody(proposalRequest) body: z.output<typeof proposalRequest>, @CurrentPrincipal() p: Principal): Promise<LevellingProposed['data']> {
    const tenantId = p.tenantId;
    const projectId = body.projectId ?? null;
    const [tasks, links, assignments, people, settings, projectPriorities] = await Promise.all([
      this.reads.tasks(tenantId, projectId),
      this.reads.links(tenantId, projectId),
      this.reads.assignmentsOfProject(tenantId, projectId),
      this.reads.listPool(tenantId),
      this.reads.tenantSettings(tenantId),
      this.reads.projectPriorities(tenantId),
    ]);
    const defaultCalendar = settings.calendar ?? this.options.defaultCalendar;
    const start = earliestStart(tasks) ?? new Date().toISOString().slice(0, 10);
    // One calendar for the whole proposal: the tenant default (planning's project calendars are not copied yet).
    const calendar = createWorkingCalendar(defaultCalendar, start);
    const plan = { tasks, links, assignments, projectPriorities, people: new Map(people.filter(hasCapacity).map((e) => [e.resourceId, e])) };
    // Task ids are the client's: a Map, so a task called `__proto__` is just a key.
    const priorities = new Map(Object.entries(body.priorities));
    const input = buildLevellingInput(plan, calendar, defaultCalendar, priorities, body.maxDelayDays);
    const dated = toDated(levelResources(input), input, calendar);
    const ctx = requestContext(p);
    const proposalId = randomUUID();
    const command: ProposeLevelling = { type: 'ProposeLevelling', data: { proposalId, projectId, ...dated }, metadata: commandMetadata(ctx) };
    const { events } = await this.writePath.handle(ctx, levellingProposalAggregate, levellingStreamId(tenantId, proposalId), command);
    return events[0].data;
  }
}
