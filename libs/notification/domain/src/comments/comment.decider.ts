import { conflict, forbidden, ignoreUnknownEvent, invalid, notFound, sameValue, unknownCommand } from '@pm/shared/ddd';
import type { CommandMetadata, PlatformRole } from '@pm/shared/ddd';
import type { CommentDeleted, CommentEdited, CommentEvent, CommentPosted, CommentTarget } from '../notification.events';
import { idMustBeValid, requiredText, uuidMustBeValid } from '../notification.rules';
import { MAX_MENTIONS, parseMentions } from './mentions';

/**
 * One comment (stream `comment:<tenant>:<commentId>`) in the thread of a project, task, risk, issue or change request.
 * Edits keep every earlier body (they are the stream's events); a deletion leaves a tombstone, so replies keep their
 * place. Whether the thread's target and the replied-to comment exist is the service's check (other streams).
 */

export type CommentState =
  | { readonly status: 'none' }
  | {
      status: 'posted' | 'deleted';
      readonly commentId: string;
      readonly projectId: string;
      readonly on: CommentTarget;
      readonly replyTo: string | null;
      readonly author: string;
      body: string;
      revision: number;
      /** Everyone mentioned in any revision: an edit notifies only people never mentioned before. */
      readonly everMentioned: Set<string>;
    };

export const initialCommentState = (): CommentState => ({ status: 'none' });
export const MAX_COMMENT_REVISIONS = 100;
const TARGET_KINDS: ReadonlySet<string> = new Set(['project', 'task', 'risk', 'issue', 'change-request']);

type Of<TType extends string, TData> = { readonly type: TType; readonly data: { readonly commentId: string } & TData; readonly metadata: CommandMetadata };
export type PostComment = Of<'PostComment', { readonly projectId: string; readonly on: CommentTarget; readonly replyTo?: string | null; readonly body: string }>;
export type EditComment = Of<'EditComment', { readonly body: string }>;
/** The actor's roles come with the command: a pmo-admin may delete any comment of the tenant (moderation). */
export type DeleteComment = Of<'DeleteComment', { readonly actorRoles: readonly PlatformRole[] }>;
export type CommentCommand = PostComment | EditComment | DeleteComment;

function bodyWithMentions(value: string): { body: string; mentions: string[] } {
  const body = requiredText('body', value, 'comment');
  const mentions = parseMentions(body);
  if (mentions.length > MAX_MENTIONS) throw invalid('COMMENT_TOO_MANY_MENTIONS', `At most ${MAX_MENTIONS} people mentioned in one comment`, { cap: MAX_MENTIONS });
  return { body, mentions };
}

function postComment(command: PostComment, state: CommentState): CommentPosted[] {
  const { data, metadata } = command;
  const commentId = uuidMustBeValid('commentId', data.commentId);
  const projectId = uuidMustBeValid('projectId', data.projectId);
  if (!TARGET_KINDS.has(data.on?.kind)) throw invalid('COMMENT_TARGET_INVALID', 'Comments are on a project, task, risk, issue or change request');
  const on = { kind: data.on.kind, id: idMustBeValid('on.id', data.on.id, 'userId') };
  const replyTo = data.replyTo === null || data.replyTo === undefined ? null : uuidMustBeValid('replyTo', data.replyTo);
  if (replyTo === commentId) throw invalid('COMMENT_REPLIES_TO_ITSELF', 'A comment cannot answer itself');
  const { body, mentions } = bodyWithMentions(data.body);
  const posted = { commentId, projectId, on, replyTo, body, mentions, postedBy: metadata.actor };
  if (state.status !== 'none') {
    // A retried post (same author, same content) is the same fact; anything else reusing the id is a client error.
    const same = sameValue({ projectId: state.projectId, on: state.on, replyTo: state.replyTo, postedBy: state.author }, { projectId, on, replyTo, postedBy: metadata.actor });
    if (same && state.revision === 1 && state.body === body) return [];
    throw conflict('COMMENT_ID_TAKEN', 'A comment with this id exists', { commentId });
  }
  return [{ type: 'CommentPosted', data: { ...posted, postedAt: metadata.now } }];
}

type Existing = Exclude<CommentState, { status: 'none' }>;

function mustExist(state: CommentState, commentId: string): Existing {
  if (state.status === 'none') throw notFound('COMMENT_NOT_FOUND', 'No such comment', { commentId: String(commentId).slice(0, 64) });
  return state;
}

function editComment(command: EditComment, state: CommentState): CommentEdited[] {
  const comment = mustExist(state, command.data.commentId);
  if (comment.status === 'deleted') throw conflict('COMMENT_DELETED', 'A deleted comment cannot be edited');
  if (comment.author !== command.metadata.actor) throw forbidden('COMMENT_NOT_YOURS', 'Only the author edits a comment');
  const { body, mentions } = bodyWithMentions(command.data.body);
  if (body === comment.body) return [];
  if (comment.revision >= MAX_COMMENT_REVISIONS) throw invalid('COMMENT_REVISION_LIMIT', `At most ${MAX_COMMENT_REVISIONS} revisions`, { cap: MAX_COMMENT_REVISIONS });
  const newlyMentioned = mentions.filter((userId) => !comment.everMentioned.has(userId));
  const { commentId, projectId } = comment;
  return [{ type: 'CommentEdited', data: { commentId, projectId, revision: comment.revision + 1, body, mentions, newlyMentioned, editedBy: command.metadata.actor, editedAt: command.metadata.now } }];
}

function deleteComment(command: DeleteComment, state: CommentState): CommentDeleted[] {
  const comment = mustExist(state, command.data.commentId);
  const moderator = Array.isArray(command.data.actorRoles) && command.data.actorRoles.includes('pmo-admin');
  if (comment.author !== command.metadata.actor && !moderator) throw forbidden('COMMENT_NOT_YOURS', 'Only the author or a pmo-admin deletes a comment');
  if (comment.status === 'deleted') return [];
  return [{ type: 'CommentDeleted', data: { commentId: comment.commentId, projectId: comment.projectId, deletedBy: command.metadata.actor, deletedAt: command.metadata.now } }];
}

export function decideComment(command: CommentCommand, state: CommentState): CommentEvent[] {
  switch (command.type) {
    case 'PostComment':
      return postComment(command, state);
    case 'EditComment':
      return editComment(command, state);
    case 'DeleteComment':
      return deleteComment(command, state);
    default:
      return unknownCommand(command);
  }
}

export function evolveComment(state: CommentState, event: CommentEvent): CommentState {
  if (event.type === 'CommentPosted') {
    const { commentId, projectId, on, replyTo, body, mentions, postedBy } = event.data;
    return { status: 'posted', commentId, projectId, on, replyTo, author: postedBy, body, revision: 1, everMentioned: new Set(mentions) };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'CommentEdited':
      state.body = event.data.body;
      state.revision = event.data.revision;
      for (const userId of event.data.mentions) state.everMentioned.add(userId);
      return state;
    case 'CommentDeleted':
      state.status = 'deleted';
      return state;
    default:
      return ignoreUnknownEvent(state, event);
  }
}

export const commentDecider = { decide: decideComment, evolve: evolveComment, initialState: initialCommentState };
