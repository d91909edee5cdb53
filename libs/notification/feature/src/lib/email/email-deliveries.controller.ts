import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Pool } from 'pg';
import { z } from 'zod';
import { EmailDeliveries } from '@pm/notification/data-access';
import { AnyRole } from '@pm/platform/auth';
import { PG_POOL } from '@pm/platform/event-store';
import { ApiSuccessBody, ZodQuery } from '@pm/platform/http';
import type { RequestContext } from '@pm/platform/request-context';
import { Caller } from '../shared/caller';

const MAX_PAGE = 200;
const deliveriesQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(50).describe(`Rows per page (1–${MAX_PAGE}, default 50), newest first`),
  before: z.iso.datetime({ offset: true }).optional().describe('The createdAt of the previous page’s last row (`page.next`)'),
});

/** My e-mail notifications and where each stands: scheduled, retrying (attempts, next attempt), sent or failed (reason, last reply code). */
@ApiTags('inbox')
@ApiBearerAuth()
@Controller('me/email-deliveries')
export class EmailDeliveriesController {
  private readonly deliveries = new EmailDeliveries();

  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  @Get()
  @AnyRole()
  @ApiOperation({ summary: 'My e-mail notifications with their delivery status (scheduled, retrying, sent, failed), newest first' })
  @ApiSuccessBody({
    type: 'object',
    required: ['items', 'page'],
    properties: {
      items: { type: 'array', items: { type: 'object', additionalProperties: true, description: 'notificationId, title, severity, mode, dueAt, status, attempts, lastReplyCode, nextAttemptAt, failureReason, settledAt' } },
      page: { type: 'object', required: ['limit', 'next'], properties: { limit: { type: 'integer' }, next: { type: 'string', nullable: true } } },
    },
  })
  async list(@ZodQuery(deliveriesQuery) query: z.output<typeof deliveriesQuery>, @Caller() ctx: RequestContext) {
    const items = await this.deliveries.ofRecipient(this.pool, ctx.principal.tenantId, ctx.principal.sub, query.limit, query.before ?? null);
    const last = items.at(-1);
    return { items, page: { limit: query.limit, next: items.length === query.limit && last ? last.createdAt : null } };
  }
}
