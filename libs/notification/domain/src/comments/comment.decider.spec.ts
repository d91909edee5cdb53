import { deciderSpecification } from '@pm/shared/ddd/testing';
import fc from 'fast-check';
import type { CommentEvent } from '../notification.events';
import { as, now, projectId } from '../notification.spec-fixtures';
import { commentDecider, MAX_COMMENT_REVISIONS } from './comment.decider';
import type { CommentCommand, PostComment } from './comment.decider';
import { MAX_MENTION_ID_LENGTH, MAX_MENTIONS, mentionOf, parseMentions } from './mentions';

const spec = deciderSpecification(commentDecider);
const commentId = 'b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e';
const on = { kind: 'risk' as const, id: 'risk-1' };
const post = (body: string, overrides: Partial<PostComment['data']> = {}): PostComment => ({ type: 'PostComment', data: { commentId, projectId, on, body, ...overrides }, metadata: as('pm-1') });
const posted = (body: string, mentions: string[]): CommentEvent => ({ type: 'CommentPosted', data: { commentId, projectId, on, replyTo: null, body, mentions, postedBy: 'user:pm-1', postedAt: now } });
const edit = (body: string, userId = 'pm-1'): CommentCommand => ({ type: 'EditComment', data: { commentId, body }, metadata: as(userId) });
const edited = (revision: number, body: string, mentions: string[], newlyMentioned: string[]): CommentEvent => ({
  type: 'CommentEdited',
  data: { commentId, projectId, revision, body, mentions, newlyMentioned, editedBy: 'user:pm-1', editedAt: now },
});
const remove = (userId: string, roles: Array<'pmo-admin' | 'team-member'> = []): CommentCommand => ({ type: 'DeleteComment', data: { commentId, actorRoles: roles }, metadata: as(userId) });

describe('Mentions', () => {
  it('finds <@id> mentions in order, each once, and ignores other @ text', () => {
    expect(parseMentions('<@deputy> and <@buyer-2>, again <@deputy>; mail me@example.com or @bob or <@ spaced> or <@>')).toEqual(['deputy', 'buyer-2']);
    expect(parseMentions('<@<@inner>')).toEqual(['inner']);
    expect(parseMentions('<@constructor> <@__proto__>')).toEqual(['constructor', '__proto__']);
    expect(parseMentions(`<@${'x'.repeat(MAX_MENTION_ID_LENGTH + 1)}>`)).toEqual([]);
    expect(parseMentions(`<@${'x'.repeat(MAX_MENTION_ID_LENGTH)}>`)).toHaveLength(1);
  });

  it('stops at one more than the cap', () => {
    const many = Array.from({ length: 50 }, (_, i) => mentionOf(`u${i}`)).join(' ');
    expect(parseMentions(many)).toHaveLength(MAX_MENTIONS + 1);
  });

  it('reads back every mention it writes, and never throws or slows on hostile text', () => {
    const id = fc.stringMatching(/^[A-Za-z0-9:._|-]{1,40}$/);
    fc.assert(
      fc.property(fc.uniqueArray(id, { maxLength: MAX_MENTIONS }), fc.string({ maxLength: 20 }), (ids, glue) => {
        const safeGlue = glue.replace(/[<>@]/g, ' ');
        expect(parseMentions(ids.map(mentionOf).join(` ${safeGlue} `))).toEqual(ids);
      }),
    );
    fc.assert(fc.property(fc.string({ maxLength: 500 }), (text) => parseMentions(text).every((m) => m.length >= 1 && m.length <= MAX_MENTION_ID_LENGTH && !/[\s<>@]/.test(m))));
    const started = performance.now();
    parseMentions('<@'.repeat(50_000) + 'x'.repeat(100_000));
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe('A comment', () => {
  describe('PostComment', () => {
    it('is posted on a thread with the people it mentions', () => {
      spec.given([]).when(post(' <@deputy> can you call the vendor? ')).then([posted('<@deputy> can you call the vendor?', ['deputy'])]);
    });

    it('changes nothing when the same post is retried, and refuses another under its id', () => {
      spec.given([posted('Hello', [])]).when(post('Hello')).thenNothingHappens();
      spec.given([posted('Hello', [])]).when(post('Other')).thenRejects('COMMENT_ID_TAKEN', 'conflict');
    });

    it('refuses blank or oversized bodies, too many mentions and unknown targets', () => {
      spec.given([]).when(post('   ')).thenRejects('TEXT_REQUIRED');
      spec.given([]).when(post('x'.repeat(10_001))).thenRejects('TEXT_TOO_LONG');
      spec.given([]).when(post(Array.from({ length: MAX_MENTIONS + 1 }, (_, i) => mentionOf(`u${i}`)).join(' '))).thenRejects('COMMENT_TOO_MANY_MENTIONS');
      spec.given([]).when(post('Hi', { on: { kind: 'budget' as never, id: 'b' } })).thenRejects('COMMENT_TARGET_INVALID');
      spec.given([]).when(post('Hi', { replyTo: commentId })).thenRejects('COMMENT_REPLIES_TO_ITSELF');
    });
  });

  describe('EditComment', () => {
    it('keeps the history and notifies only people never mentioned before', () => {
      const history = [posted('<@deputy> call the vendor', ['deputy'])];
      spec.given(history).when(edit('<@deputy> <@buyer-2> call the vendor')).then([edited(2, '<@deputy> <@buyer-2> call the vendor', ['deputy', 'buyer-2'], ['buyer-2'])]);
      const second = [...history, edited(2, 'call the vendor', [], [])];
      spec.given(second).when(edit('<@deputy> call the vendor now')).then([edited(3, '<@deputy> call the vendor now', ['deputy'], [])]);
    });

    it('changes nothing for the same body, refuses others, deleted comments and endless revisions', () => {
      spec.given([posted('Hello', [])]).when(edit(' Hello ')).thenNothingHappens();
      spec.given([posted('Hello', [])]).when(edit('Hi', 'pm-2')).thenRejects('COMMENT_NOT_YOURS', 'forbidden');
      spec.given([]).when(edit('Hi')).thenRejects('COMMENT_NOT_FOUND', 'not-found');
      spec.given([posted('Hello', []), { type: 'CommentDeleted', data: { commentId, projectId, deletedBy: 'user:pm-1', deletedAt: now } }]).when(edit('Hi')).thenRejects('COMMENT_DELETED', 'conflict');
      const many = [posted('v1', []), ...Array.from({ length: MAX_COMMENT_REVISIONS - 1 }, (_, i) => edited(i + 2, `v${i + 2}`, [], []))];
      spec.given(many).when(edit('one more')).thenRejects('COMMENT_REVISION_LIMIT');
    });
  });

  describe('DeleteComment', () => {
    const deleted = (by: string): CommentEvent => ({ type: 'CommentDeleted', data: { commentId, projectId, deletedBy: `user:${by}`, deletedAt: now } });

    it('leaves a tombstone, deleted by its author or a pmo-admin, once', () => {
      spec.given([posted('Hello', [])]).when(remove('pm-1')).then([deleted('pm-1')]);
      spec.given([posted('Hello', [])]).when(remove('pmo-1', ['pmo-admin'])).then([deleted('pmo-1')]);
      spec.given([posted('Hello', []), deleted('pm-1')]).when(remove('pm-1')).thenNothingHappens();
      expect(spec.given([posted('Hello', []), deleted('pm-1')]).state).toMatchObject({ status: 'deleted', body: 'Hello' });
    });

    it('refuses anyone else', () => {
      spec.given([posted('Hello', [])]).when(remove('tm-1', ['team-member'])).thenRejects('COMMENT_NOT_YOURS', 'forbidden');
    });
  });
});
