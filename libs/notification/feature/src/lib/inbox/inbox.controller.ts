import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { InboxQueries } from '@pm/notification/data-access';
import { AnyRole } from '@pm/platform/auth';
import { ApiSuccessBody, ZodParam, ZodQuery, decidedEventsSchema } from '@pm/platform/http';
import type { RequestContext } from '@pm/platform/request-context';
import { Caller } from '../shared/caller';
import { ActOnInboxCommand } from './inbox.handler';
import type { InboxAction } from './inbox.handler';

export const MAX_INBOX_PAGE = 200;
const flag = z.enum(['true', 'false']).transform((v) => v === 'true');
const inboxQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(MAX_INBOX_PAGE).default(50).describe(`Notifications per page (1–${MAX_INBOX_PAGE}, default 50), newest first`),
  after: z.uuid().optional().describe('The last notification id of the previous page (`page.next`)'),
  unread: flag.optional().describe('true: only unread notifications'),
  archived: flag.optional().describe('true: the archive instead of the inbox'),
});
const notificationId = z.uuid();

const change = { type: 'object' as const, required: ['version', 'events'], properties: { version: { type: 'integer' as const }, events: decidedEventsSchema } };

/** The caller's own inbox, and only theirs: the recipient is the token's `sub`, never a path or query value. */
@ApiTags('inbox')
@ApiBearerAuth()
@Controller('inbox')
export class InboxController {
  constructor(
    private readonly reads: InboxQueries,
    private readonly commands: CommandBus,
  ) {}

  @Get()
  @AnyRole()
  @ApiOperation({ summary: 'My notifications, newest first; `unread=true` filters, `archived=true` shows the archive; pages with `limit` and `after`' })
  @ApiSuccessBody({
    type: 'object',
    required: ['items', 'page'],
    properties: {
      items: { type: 'array', items: { type: 'object', additionalProperties: true, description: 'A notification: id, seq, type, severity, subject link, title, reason, read, archived' } },
      page: { type: 'object', required: ['limit', 'next'], properties: { limit: { type: 'integer' }, next: { type: 'string', nullable: true } } },
    },
  })
  list(@ZodQuery(inboxQuery) query: z.output<typeof inboxQuery>, @Caller() ctx: RequestContext) {
    return this.reads.list(ctx.principal.tenantId, ctx.principal.sub, query);
  }

  @Get('unread-count')
  @AnyRole()
  @ApiOperation({ summary: 'How many of my notifications are unread' })
  @ApiSuccessBody({ type: 'object', required: ['unread'], properties: { unread: { type: 'integer', minimum: 0 } } })
  async unreadCount(@Caller() ctx: RequestContext) {
    return { unread: await this.reads.unreadCount(ctx.principal.tenantId, ctx.principal.sub) };
  }

  @Post('read-all')
  @HttpCode(200)
  @AnyRole()
  @ApiOperation({ summary: 'Mark everything in my inbox read (one watermark, whatever the number)' })
  @ApiSuccessBody(change)
  readAll(@Caller() ctx: RequestContext) {
    return this.act({ kind: 'read-all' }, ctx);
  }

  @Post(':notificationId/read')
  @HttpCode(200)
  @AnyRole()
  @ApiOperation({ summary: 'Mark one of my notifications read (a repeat changes nothing)' })
  @ApiSuccessBody(change)
  read(@ZodParam('notificationId', notificationId) id: string, @Caller() ctx: RequestContext) {
    return this.act({ kind: 'read', notificationId: id }, ctx);
  }

  @Post(':notificationId/archive')
  @HttpCode(200)
  @AnyRole()
  @ApiOperation({ summary: 'Archive one of my notifications' })
  @ApiSuccessBody(change)
  archive(@ZodParam('notificationId', notificationId) id: string, @Caller() ctx: RequestContext) {
    return this.act({ kind: 'archive', notificationId: id }, ctx);
  }

  private act(action: InboxAction, ctx: RequestContext): Promise<{ version: number; events: unknown[] }> {
    return this.commands.execute(new ActOnInboxCommand(action, ctx));
  }
}
