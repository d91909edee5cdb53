import { z } from 'zod';
import { defineEventContract } from '../registry/event-contract';
import { isoDateTimeSchema, uuidSchema } from '../shared/contract-primitives.schema';
import {
  EXAMPLE_COMMENT_ID,
  EXAMPLE_NOTIFICATION_PROJECT_ID,
  commentBodySchema,
  commentTargetKindSchema,
  notificationActorSchema,
  notificationProjectIdSchema,
  userIdSchema,
} from './notification-primitives.schema';

/** Events of a Comment (stream `comment:<tenant>:<commentId>`): posted, edited (every body stays in the history), deleted (a tombstone). */

const projectId = EXAMPLE_NOTIFICATION_PROJECT_ID;
const ofComment = { commentId: uuidSchema, projectId: notificationProjectIdSchema };
const ids = { commentId: EXAMPLE_COMMENT_ID, projectId };
const mentionsSchema = z.array(userIdSchema).max(20).describe('People mentioned as <@id> in the body, each once, in order of appearance');

export const commentPostedV1Schema = z.strictObject({
  ...ofComment,
  on: z.strictObject({ kind: commentTargetKindSchema, id: z.string().min(1).max(200) }).describe('The project, task, risk, issue or change request the thread belongs to'),
  replyTo: uuidSchema.nullable().describe('The comment this one answers; null at the top of the thread'),
  body: commentBodySchema,
  mentions: mentionsSchema,
  postedBy: notificationActorSchema,
  postedAt: isoDateTimeSchema,
});
export type CommentPostedV1 = z.output<typeof commentPostedV1Schema>;
export const commentPostedV1 = defineEventContract({
  context: 'notification',
  name: 'CommentPosted',
  version: 1,
  schema: commentPostedV1Schema,
  description: 'A comment on a project, task, risk, issue or change request; each person it mentions is notified.',
  example: {
    ...ids,
    on: { kind: 'risk', id: '3a7c1e5b-9d2f-4b6a-8c1e-2f3a4b5c6d7e' },
    replyTo: null,
    body: '<@user:deputy-pm> can you call the vendor today?',
    mentions: ['user:deputy-pm'],
    postedBy: 'user:pm-1',
    postedAt: '2026-03-03T09:05:00.000Z',
  },
});

export const commentEditedV1Schema = z.strictObject({
  ...ofComment,
  revision: z.number().int().min(2).max(100).describe('2 for the first edit; the earlier bodies stay in the stream'),
  body: commentBodySchema,
  mentions: mentionsSchema,
  newlyMentioned: mentionsSchema.describe('Mentioned now and in no earlier revision: only they are notified'),
  editedBy: notificationActorSchema,
  editedAt: isoDateTimeSchema,
});
export type CommentEditedV1 = z.output<typeof commentEditedV1Schema>;
export const commentEditedV1 = defineEventContract({
  context: 'notification',
  name: 'CommentEdited',
  version: 1,
  schema: commentEditedV1Schema,
  description: 'The author changed the comment’s body; the history keeps every revision.',
  example: {
    ...ids,
    revision: 2,
    body: '<@user:deputy-pm> <@user:buyer-2> can one of you call the vendor today?',
    mentions: ['user:deputy-pm', 'user:buyer-2'],
    newlyMentioned: ['user:buyer-2'],
    editedBy: 'user:pm-1',
    editedAt: '2026-03-03T09:07:00.000Z',
  },
});

export const commentDeletedV1Schema = z.strictObject({ ...ofComment, deletedBy: notificationActorSchema, deletedAt: isoDateTimeSchema });
export type CommentDeletedV1 = z.output<typeof commentDeletedV1Schema>;
export const commentDeletedV1 = defineEventContract({
  context: 'notification',
  name: 'CommentDeleted',
  version: 1,
  schema: commentDeletedV1Schema,
  description: 'The comment was deleted by its author or a pmo-admin: the thread shows a tombstone; replies stay.',
  example: { ...ids, deletedBy: 'user:pm-1', deletedAt: '2026-03-03T09:10:00.000Z' },
});

declare module '../registry/event-catalogue.types' {
  interface LatestEventDataByType {
    'pm.notification.CommentPosted': CommentPostedV1;
    'pm.notification.CommentEdited': CommentEditedV1;
    'pm.notification.CommentDeleted': CommentDeletedV1;
  }
}
