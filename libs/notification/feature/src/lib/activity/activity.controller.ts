import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Pool } from 'pg';
import { z } from 'zod';
import { ACTIVITY_CURSOR, ActivityFeed, MAX_ACTIVITY_PAGE } from '@pm/notification/data-access';
import { AnyRole } from '@pm/platform/auth';
import { PG_POOL } from '@pm/platform/event-store';
import { ApiSuccessBody, ZodParam, ZodQuery } from '@pm/platform/http';
import type { RequestContext } from '@pm/platform/request-context';
import { Caller } from '../shared/caller';

const feedQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(MAX_ACTIVITY_PAGE).default(50).describe(`Entries per page (1–${MAX_ACTIVITY_PAGE}), newest first`),
  before: z.string().regex(ACTIVITY_CURSOR).optional().describe('`page.next` of the previous page'),
});

/** A project's activity feed (ADR 0404): who changed what in planning, resources and risks, newest first. */
@ApiTags('activity')
@ApiBearerAuth()
@Controller('projects/:projectId/activity')
export class ActivityController {
  private readonly feed = new ActivityFeed();

  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  @Get()
  @AnyRole()
  @ApiOperation({ summary: "The project's activity, newest first; pages with `limit` and `before`" })
  @ApiSuccessBody({ type: 'object', required: ['items', 'page'], properties: { items: { type: 'array', items: { type: 'object', additionalProperties: true } }, page: { type: 'object', additionalProperties: true } } })
  list(@ZodParam('projectId', z.uuid()) projectId: string, @ZodQuery(feedQuery) query: z.output<typeof feedQuery>, @Caller() ctx: RequestContext) {
    return this.feed.page(this.pool, ctx.principal.tenantId, projectId, { limit: query.limit, before: query.before });
  }
}
