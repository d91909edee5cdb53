import { randomUUID } from 'node:crypto';
import { Controller, Get, Headers, HttpCode, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { AnyRole, CurrentPrincipal, Roles } from '@pm/platform/auth';
import type { Principal } from '@pm/platform/auth';
import { ZodBody, ZodParam, ZodQuery } from '@pm/platform/http';
import { ResourceReadQueries } from '@pm/resource/data-access';
import type { PoolEntry } from '@pm/resource/data-access';
import { toResourceId } from '@pm/resource/domain';
import type { RegisteredResource, ResourceCommand } from '@pm/resource/domain';
import { callerOf, commandMetadata, requestContext } from '../shared/request-context';
import type { RequestContext } from '../shared/request-context';
import { ExecuteResourceCommand, GetResourceQuery } from './resource-pool.handler';
import type { ResourceResult } from './resource-pool.handler';
import {
  listPoolQuery,
  recordLeaveRequest,
  recordSkillRequest,
  registerEquipmentRequest,
  registerGenericRequest,
  registerPersonRequest,
  scheduleRateRequest,
  setAvailabilityRequest,
} from './resource-pool.requests';
import { ApiResourceChange } from '../openapi-bodies';

type Body<T extends z.ZodType> = z.output<T>;
const resourceIdParam = z.uuid();

@ApiTags('resource pool')
@ApiBearerAuth()
@Controller('resources')
export class ResourcePoolController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly reads: ResourceReadQueries,
  ) {}

  private run(principal: Principal, correlationId: string | undefined, build: (ctx: RequestContext) => ResourceCommand): Promise<ResourceResult> {
    const ctx = requestContext(principal, { correlationId });
    return this.commands.execute<ExecuteResourceCommand, ResourceResult>(new ExecuteResourceCommand(build(ctx), ctx));
  }

  @Post('people')
  @HttpCode(201)
  @Roles('resource-manager', 'pmo-admin')
  @ApiOperation({ summary: 'Register a person (pm.resource.PersonRegistered)' })
  @ApiResourceChange()
  registerPerson(@ZodBody(registerPersonRequest) body: Body<typeof registerPersonRequest>, @CurrentPrincipal() p: Principal, @Headers('x-correlation-id') c?: string) {
    return this.run(p, c, (ctx) => ({ type: 'RegisterPerson', data: { ...body, resourceId: toResourceId(body.resourceId ?? randomUUID()) }, metadata: commandMetadata(ctx) }));
  }

  @Post('generic')
  @HttpCode(201)
  @Roles('resource-manager', 'pmo-admin', 'project-manager')
  @ApiOperation({ summary: 'Register a role placeholder to staff later (pm.resource.GenericResourceRegistered)' })
  @ApiResourceChange()
  registerGeneric(@ZodBody(registerGenericRequest) body: Body<typeof registerGenericRequest>, @CurrentPrincipal() p: Principal, @Headers('x-correlation-id') c?: string) {
    return this.run(p, c, (ctx) => ({ type: 'RegisterGenericResource', data: { ...body, resourceId: toResourceId(body.resourceId ?? randomUUID()) }, metadata: commandMetadata(ctx) }));
  }

  @Post('equipment')
  @HttpCode(201)
  @Roles('resource-manager', 'pmo-admin')
  @ApiOperation({ summary: 'Register equipment or material (pm.resource.EquipmentRegistered)' })
  @ApiResourceChange()
  registerEquipment(@ZodBody(registerEquipmentRequest) body: Body<typeof registerEquipmentRequest>, @CurrentPrincipal() p: Principal, @Headers('x-correlation-id') c?: string) {
    return this.run(p, c, (ctx) => ({ type: 'RegisterEquipment', data: { ...body, resourceId: toResourceId(body.resourceId ?? randomUUID()) }, metadata: commandMetadata(ctx) }));
  }

  @Post(':resourceId/skills')
  @HttpCode(200)
  @Roles('resource-manager', 'pmo-admin')
  @ApiOperation({ summary: 'Record a skill and proficiency (pm.resource.SkillRecorded)' })
  @ApiResourceChange()
  recordSkill(@ZodParam('resourceId', resourceIdParam) id: string, @ZodBody(recordSkillRequest) body: Body<typeof recordSkillRequest>, @CurrentPrincipal() p: Principal) {
    return this.run(p, undefined, (ctx) => ({ type: 'RecordSkill', data: { resourceId: toResourceId(id), ...body }, metadata: commandMetadata(ctx) }));
  }

  @Post(':resourceId/rates')
  @HttpCode(200)
  @Roles('resource-manager', 'pmo-admin')
  @ApiOperation({ summary: 'Add a row to the rate table; only resource managers and PMO admins (pm.resource.CostRateScheduled)' })
  @ApiResourceChange()
  scheduleRate(@ZodParam('resourceId', resourceIdParam) id: string, @ZodBody(scheduleRateRequest) body: Body<typeof scheduleRateRequest>, @CurrentPrincipal() p: Principal) {
    return this.run(p, undefined, (ctx) => ({ type: 'ScheduleCostRate', data: { resourceId: toResourceId(id), ...body, caller: callerOf(ctx) }, metadata: commandMetadata(ctx) }));
  }

  @Post(':resourceId/availability')
  @HttpCode(200)
  @Roles('resource-manager', 'pmo-admin')
  @ApiOperation({ summary: 'Set the availability percentage (pm.resource.AvailabilitySet)' })
  @ApiResourceChange()
  setAvailability(@ZodParam('resourceId', resourceIdParam) id: string, @ZodBody(setAvailabilityRequest) body: Body<typeof setAvailabilityRequest>, @CurrentPrincipal() p: Principal) {
    return this.run(p, undefined, (ctx) => ({ type: 'SetAvailability', data: { resourceId: toResourceId(id), ...body }, metadata: commandMetadata(ctx) }));
  }

  @Post(':resourceId/leave')
  @HttpCode(200)
  @Roles('resource-manager', 'pmo-admin')
  @ApiOperation({ summary: 'Record leave or holidays (pm.resource.LeaveRecorded)' })
  @ApiResourceChange()
  recordLeave(@ZodParam('resourceId', resourceIdParam) id: string, @ZodBody(recordLeaveRequest) body: Body<typeof recordLeaveRequest>, @CurrentPrincipal() p: Principal) {
    return this.run(p, undefined, (ctx) => ({ type: 'RecordLeave', data: { resourceId: toResourceId(id), ...body }, metadata: commandMetadata(ctx) }));
  }

  @Get()
  @AnyRole()
  @ApiOperation({ summary: "The caller's tenant's pool, filtered by department, role or skill level" })
  list(@ZodQuery(listPoolQuery) query: Body<typeof listPoolQuery>, @CurrentPrincipal() p: Principal): Promise<PoolEntry[]> {
    return this.reads.listPool(p.tenantId, query);
  }

  @Get(':resourceId')
  @AnyRole()
  @ApiOperation({ summary: 'A resource as its stream tells it; the rate table only for resource managers and PMO admins' })
  async get(@ZodParam('resourceId', resourceIdParam) id: string, @CurrentPrincipal() p: Principal) {
    const { version, resource } = await this.queries.execute<GetResourceQuery, { version: number; resource: RegisteredResource }>(new GetResourceQuery(p.tenantId, id));
    const seesRates = p.roles.includes('resource-manager') || p.roles.includes('pmo-admin');
    const json = resourceJson(resource);
    if (seesRates || !('rates' in json)) return { version, resource: json };
    const { rates: _rates, ...withoutRates } = json;
    return { version, resource: withoutRates };
  }
}

/** The resource as JSON: its skills (a Map in the domain) as the `{ skill: level }` object clients already read. */
function resourceJson(resource: RegisteredResource) {
  if (resource.kind !== 'person' && resource.kind !== 'generic') return resource;
  return { ...resource, skills: Object.fromEntries(resource.skills) };
}
