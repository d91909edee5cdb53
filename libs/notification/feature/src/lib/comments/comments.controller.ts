import { Controller, Delete, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { CommentQueries } from '@pm/notification/data-access';
import { commentStreamId } from '@pm/notification/domain';
import { AnyRole, Roles } from '@pm/platform/auth';
import { PgEventStore } from '@pm/platform/event-store';
import { ApiSuccessBody, ZodBody, ZodParam, ZodQuery, decidedEventsSchema } from '@pm/platform/http';
import type { RequestContext } from '@pm/platform/request-context';
import { notFound } from '@pm/shared/ddd';
import { Caller } from '../shared/caller';
import { opaqueIdSchema } from '../shared/person-id';
import { ActOnCommentCommand } from './comments.handler';
import type { CommentAction } from './comments.handler';

export const MAX_THREAD_PAGE = 200;
const uuid = z.uuid();
const targetKind = z.enum(['project', 'task', 'risk', 'issue', 'change-request']);
const body = z.string().min(1).max(10_000).describe('Markdown text; `<@userId>` mentions a person (at most 20)');
const postRequest = z.strictObject({
  commentId: uuid.optional().describe('Chosen by the client to make a retry safe; generated when absent'),
  on: z.strictObject({ kind: targetKind, id: opaqueIdSchema.describe('The id of the project, task, risk, issue or change request') }),
  replyTo: uuid.nullable().optional().describe('The comment this one answers, in the same thread'),
  body,
});
const editRequest = z.strictObject({ body });
const threadQuery = z.strictObject({
  kind: targetKind.describe('What the thread is on'),
  id: opaqueIdSchema.describe('Its id'),
  limit: z.coerce.number().int().min(1).max(MAX_THREAD_PAGE).default(50),
  after: z.string().regex(/^[0-9]{1,18}$/).optional().describe('`page.next` of the previous page'),
});

const change = { type: 'object' as const, required: ['version', 'commentId', 'events'], properties: { version: { type: 'integer' as const }, commentId: { type: 'string' as const }, events: decidedEventsSchema } };
const WRITERS = ['pmo-admin', 'project-manager', 'resource-manager', 'team-member'] as const;

/**
 * Comment threads on a project and its tasks, risks, issues and change requests (ADR 0404). Everyone of the tenant
 * reads; everyone but a viewer writes; only the author edits; the author or a pmo-admin deletes (the decider says).
 */
@ApiTags('comments')
@ApiBearerAuth()
@Controller('projects/:projectId/comments')
export class CommentsController {
  constructor(
    private readonly queries: CommentQueries,
    private readonly store: PgEventStore,
    private readonly commands: CommandBus,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles(...WRITERS)
  @ApiOperation({ summary: 'Post a comment (or a reply); every person it @mentions is notified' })
  @ApiSuccessBody(change)
  post(@ZodParam('projectId', uuid) projectId: string, @ZodBody(postRequest) req: z.output<typeof postRequest>, @Caller() ctx: RequestContext) {
    return this.act({ kind: 'post', projectId, commentId: req.commentId ?? randomUUID(), on: req.on, replyTo: req.replyTo ?? null, body: req.body }, ctx);
  }

  @Get()
  @AnyRole()
  @ApiOperation({ summary: 'A thread (on a project, task, risk, issue or change request), oldest first; deleted comments are tombstones' })
  @ApiSuccessBody({ type: 'object', required: ['items', 'page'], properties: { items: { type: 'array', items: { type: 'object', additionalProperties: true } }, page: { type: 'object', additionalProperties: true } } })
  thread(@ZodParam('projectId', uuid) projectId: string, @ZodQuery(threadQuery) query: z.output<typeof threadQuery>, @Caller() ctx: RequestContext) {
    return this.queries.thread(ctx.principal.tenantId, projectId, { kind: query.kind, id: query.id }, { limit: query.limit, after: query.after });
  }

  @Patch(':commentId')
  @HttpCode(200)
  @Roles(...WRITERS)
  @ApiOperation({ summary: 'Edit my comment (the earlier text stays in its history); people mentioned for the first time are notified' })
  @ApiSuccessBody(change)
  edit(@ZodParam('projectId', uuid) projectId: string, @ZodParam('commentId', uuid) commentId: string, @ZodBody(editRequest) req: z.output<typeof editRequest>, @Caller() ctx: RequestContext) {
    return this.act({ kind: 'edit', projectId, commentId, body: req.body }, ctx);
  }

  @Delete(':commentId')
  @HttpCode(200)
  @Roles(...WRITERS)
  @ApiOperation({ summary: 'Delete my comment (a pmo-admin may delete any); a tombstone keeps its place, its history stays readable' })
  @ApiSuccessBody(change)
  remove(@ZodParam('projectId', uuid) projectId: string, @ZodParam('commentId', uuid) commentId: string, @Caller() ctx: RequestContext) {
    return this.act({ kind: 'delete', projectId, commentId }, ctx);
  }

  @Get(':commentId/history')
  @AnyRole()
  @ApiOperation({ summary: 'Every revision of a comment and its deletion, oldest first' })
  @ApiSuccessBody({ type: 'object', required: ['commentId', 'revisions'], properties: { commentId: { type: 'string' }, revisions: { type: 'array', items: { type: 'object', additionalProperties: true } } } })
  async history(@ZodParam('projectId', uuid) projectId: string, @ZodParam('commentId', uuid) commentId: string, @Caller() ctx: RequestContext) {
    const { tenantId } = ctx.principal;
    if ((await this.queries.get(tenantId, projectId, commentId)) === undefined) throw notFound('COMMENT_NOT_FOUND', 'No such comment in this project', { commentId });
    // A comment has at most 100 revisions and one deletion (the decider's cap).
    const events = await this.store.readStream(commentStreamId(tenantId, commentId), { tenantId, maxCount: 102 });
    const revisions = events.map((e) => {
      const data = e.data as { body?: string; mentions?: string[]; revision?: number; postedBy?: string; editedBy?: string; deletedBy?: string };
      const by = data.postedBy ?? data.editedBy ?? data.deletedBy ?? null;
      return { change: e.type, revision: data.revision ?? (e.type === 'CommentPosted' ? 1 : null), body: data.body ?? null, mentions: data.mentions ?? [], by, at: e.occurredAt };
    });
    return { commentId, revisions };
  }

  private act(action: CommentAction, ctx: RequestContext): Promise<{ version: number; commentId: string; events: unknown[] }> {
    return this.commands.execute(new ActOnCommentCommand(action, ctx));
  }
}
