import { Controller, Delete, Get, HttpCode, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Pool } from 'pg';
import { Inject } from '@nestjs/common';
import { WebhookDeliveriesTable, WebhookEndpointsTable } from '@pm/notification/data-access';
import { Roles } from '@pm/platform/auth';
import { PG_POOL } from '@pm/platform/event-store';
import { ApiSuccessBody, ZodBody, ZodParam, ZodQuery, decidedEventsSchema } from '@pm/platform/http';
import type { RequestContext } from '@pm/platform/request-context';
import { notFound } from '@pm/shared/ddd';
import { Caller } from '../shared/caller';
import { WebhookEndpointCommands, endpointJson } from './webhook-endpoint.commands';
import { deliveriesQuery, deliveryIdParam, endpointIdParam, rotateSecretRequest, webhookEndpointRequest } from './webhook.requests';
import type { DeliveriesQuery, RotateSecretRequest, WebhookEndpointRequest } from './webhook.requests';

const endpointBody = { type: 'object' as const, additionalProperties: true, description: 'endpointId, url, description, eventTypes, orderedBySubject, privateAddressesAllowed, status, keyId, registeredAt, consecutiveFailures' };
const changeBody = { type: 'object' as const, required: ['endpoint', 'events'], properties: { endpoint: endpointBody, events: decidedEventsSchema } };
const secretBody = (extra: Record<string, object>) => ({
  type: 'object' as const,
  required: ['secret', 'keyId'],
  properties: { secret: { type: 'string' as const, description: 'whsec_…: shown this once, stored only encrypted' }, keyId: { type: 'string' as const }, ...extra },
});
const deliveryBody = { type: 'object' as const, additionalProperties: true, description: 'deliveryId, eventId, eventType, subject, status, attempts, nextAttemptAt, lastStatus' };

/** A tenant's webhook endpoints and their delivery logs (ADR 0403): pmo-admins only; the tenant is always the token's. */
@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('webhook-endpoints')
export class WebhookEndpointsController {
  private readonly endpoints = new WebhookEndpointsTable();
  private readonly deliveries = new WebhookDeliveriesTable();

  constructor(
    private readonly commands: WebhookEndpointCommands,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles('pmo-admin')
  @ApiOperation({ summary: 'Register an endpoint for the tenant’s events; the answer holds its signing secret, shown this once' })
  @ApiSuccessBody(secretBody({ endpoint: endpointBody }))
  register(@ZodBody(webhookEndpointRequest) body: WebhookEndpointRequest, @Caller() ctx: RequestContext) {
    return this.commands.register(body, ctx);
  }

  @Get()
  @Roles('pmo-admin')
  @ApiOperation({ summary: 'The tenant’s endpoints (never their secrets)' })
  @ApiSuccessBody({ type: 'object', required: ['items'], properties: { items: { type: 'array', items: endpointBody } } })
  async list(@Caller() ctx: RequestContext) {
    return { items: (await this.endpoints.list(this.pool, ctx.principal.tenantId)).map(endpointJson) };
  }

  @Get(':endpointId')
  @Roles('pmo-admin')
  @ApiOperation({ summary: 'One endpoint' })
  @ApiSuccessBody(endpointBody)
  async get(@ZodParam('endpointId', endpointIdParam) endpointId: string, @Caller() ctx: RequestContext) {
    return endpointJson(await this.commands.mustGet(ctx.principal.tenantId, endpointId));
  }

  @Put(':endpointId')
  @Roles('pmo-admin')
  @ApiOperation({ summary: 'Replace the endpoint’s URL, filters, ordering, description and address permission' })
  @ApiSuccessBody(changeBody)
  reconfigure(@ZodParam('endpointId', endpointIdParam) endpointId: string, @ZodBody(webhookEndpointRequest) body: WebhookEndpointRequest, @Caller() ctx: RequestContext) {
    return this.commands.reconfigure(endpointId, body, ctx);
  }

  @Delete(':endpointId')
  @HttpCode(204)
  @Roles('pmo-admin')
  @ApiOperation({ summary: 'Remove the endpoint: disabled, hidden, its secrets destroyed, its queue cancelled' })
  async remove(@ZodParam('endpointId', endpointIdParam) endpointId: string, @Caller() ctx: RequestContext): Promise<void> {
    await this.commands.remove(endpointId, ctx);
  }

  @Post(':endpointId/disable')
  @HttpCode(200)
  @Roles('pmo-admin')
  @ApiOperation({ summary: 'Stop sending; deliveries are kept and go out after it is enabled' })
  @ApiSuccessBody(changeBody)
  disable(@ZodParam('endpointId', endpointIdParam) endpointId: string, @Caller() ctx: RequestContext) {
    return this.commands.setEnabled(endpointId, false, ctx);
  }

  @Post(':endpointId/enable')
  @HttpCode(200)
  @Roles('pmo-admin')
  @ApiOperation({ summary: 'Send again, starting with the deliveries kept while it was disabled' })
  @ApiSuccessBody(changeBody)
  enable(@ZodParam('endpointId', endpointIdParam) endpointId: string, @Caller() ctx: RequestContext) {
    return this.commands.setEnabled(endpointId, true, ctx);
  }

  @Post(':endpointId/rotate-secret')
  @HttpCode(200)
  @Roles('pmo-admin')
  @ApiOperation({ summary: 'A new signing secret, shown this once; the previous one also signs until previousValidUntil' })
  @ApiSuccessBody(secretBody({ previousValidUntil: { type: 'string', nullable: true } }))
  rotate(@ZodParam('endpointId', endpointIdParam) endpointId: string, @ZodBody(rotateSecretRequest) body: RotateSecretRequest, @Caller() ctx: RequestContext) {
    return this.commands.rotate(endpointId, body, ctx);
  }

  @Get(':endpointId/deliveries')
  @Roles('pmo-admin')
  @ApiOperation({ summary: 'The endpoint’s deliveries, newest first; `status` filters, pages with `limit` and `after`' })
  @ApiSuccessBody({
    type: 'object',
    required: ['items', 'page'],
    properties: {
      items: { type: 'array', items: deliveryBody },
      page: { type: 'object', required: ['limit', 'next'], properties: { limit: { type: 'integer' }, next: { type: 'string', nullable: true } } },
    },
  })
  async deliveriesOf(@ZodParam('endpointId', endpointIdParam) endpointId: string, @ZodQuery(deliveriesQuery) query: DeliveriesQuery, @Caller() ctx: RequestContext) {
    await this.commands.mustGet(ctx.principal.tenantId, endpointId);
    const items = await this.deliveries.list(this.pool, ctx.principal.tenantId, endpointId, query);
    return { items, page: { limit: query.limit, next: items.length === query.limit ? items[items.length - 1].deliveryId : null } };
  }

  @Get(':endpointId/deliveries/:deliveryId')
  @Roles('pmo-admin')
  @ApiOperation({ summary: 'One delivery with its log: every attempt’s status code, error, response time and the start of the response body' })
  @ApiSuccessBody(deliveryBody)
  async delivery(@ZodParam('endpointId', endpointIdParam) endpointId: string, @ZodParam('deliveryId', deliveryIdParam) deliveryId: string, @Caller() ctx: RequestContext) {
    const found = await this.deliveries.get(this.pool, ctx.principal.tenantId, endpointId, deliveryId);
    if (found === undefined) throw notFound('WEBHOOK_DELIVERY_NOT_FOUND', 'No such delivery of this endpoint');
    return found;
  }

  @Post(':endpointId/deliveries/:deliveryId/redeliver')
  @HttpCode(202)
  @Roles('pmo-admin')
  @ApiOperation({ summary: 'Send the delivery again (a new 24-hour retry window)' })
  @ApiSuccessBody(deliveryBody)
  redeliver(@ZodParam('endpointId', endpointIdParam) endpointId: string, @ZodParam('deliveryId', deliveryIdParam) deliveryId: string, @Caller() ctx: RequestContext) {
    return this.commands.redeliver(endpointId, deliveryId, ctx);
  }
}
