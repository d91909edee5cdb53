import { randomBytes, randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import request from 'supertest';
import { AppModule as NotificationApp } from '../../apps/notification-service/src/app.module';
import { TOPICS, contractRegistry } from '@pm/contracts';
import type { BoundedContext } from '@pm/contracts';
import { signDevToken } from '@pm/platform/auth';
import { createPgPool } from '@pm/platform/event-store';
import { KAFKA, storedEventToKafkaMessage } from '@pm/platform/messaging';
import { CommentsReadModel } from '@pm/notification/feature';
import { createTestDatabase, waitFor } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { startService } from './service-harness';
import type { RunningService } from './service-harness';

type Comment = { commentId: string; body: string | null; deleted: boolean; revision: number; replyTo: string | null; author: string };

/**
 * Collaboration in the notification service (ADR 0404), against the real PostgreSQL and broker: comment threads with
 * their history and @mentions that reach the mentioned person's inbox, who may edit and delete, and a project's activity
 * feed built from the planning and risk events the consumer receives. Hostile input is a 4xx problem.
 */
describe('Notification service: comments, mentions and the activity feed', () => {
  let db: TestDatabase;
  let service: RunningService;
  let pool: Pool;
  const hex = () => randomBytes(4).toString('hex');
  const tenant = `tenant-collab-${hex()}`;
  const projectId = randomUUID();
  const people = { pm: `pm-${hex()}`, dev: `dev-${hex()}`, admin: `admin-${hex()}` };
  const tokens: Record<string, string> = {};
  const as = (who: string) => {
    const auth = (r: request.Test) => r.set('authorization', `Bearer ${tokens[who]}`);
    return {
      get: (path: string) => auth(request(service.url).get(path)),
      post: (path: string, body: unknown = {}) => auth(request(service.url).post(path)).send(body as object),
      patch: (path: string, body: unknown) => auth(request(service.url).patch(path)).send(body as object),
      delete: (path: string) => auth(request(service.url).delete(path)),
    };
  };
  const comments = `/projects/${projectId}/comments`;
  const thread = async (who: string, kind: string, id: string) => (await as(who).get(`${comments}?kind=${kind}&id=${encodeURIComponent(id)}`).expect(200)).body.items as Comment[];
  const inbox = async (who: string) => (await as(who).get('/inbox').expect(200)).body.items as Array<{ subject: { kind: string; id: string }; reason: { kind: string; commentId?: string } }>;

  beforeAll(async () => {
    db = await createTestDatabase('notify_collab');
    service = await startService('notification-service', NotificationApp.register({ pgUrl: db.url, schedulerPollMs: 3_600_000, consumerGroupId: `notification-collab-${hex()}` }));
    pool = createPgPool(db.url, { max: 2 });
    tokens.pm = await signDevToken({ tenant, sub: people.pm, roles: ['project-manager'] });
    tokens.dev = await signDevToken({ tenant, sub: people.dev, roles: ['team-member'] });
    tokens.admin = await signDevToken({ tenant, sub: people.admin, roles: ['pmo-admin'] });
    tokens.viewer = await signDevToken({ tenant, sub: `viewer-${hex()}`, roles: ['viewer'] });
    tokens.otherTenant = await signDevToken({ tenant: `${tenant}-other`, sub: people.pm, roles: ['project-manager'] });
  }, 120_000);

  afterAll(async () => {
    await pool?.end();
    await service?.close();
    await db?.drop();
  });

  let first: string;

  it('posts a comment on a risk and tells the person it mentions, in their inbox', async () => {
    const posted = await as('pm').post(comments, { on: { kind: 'risk', id: 'risk-1' }, body: `<@${people.dev}> can you call the vendor?` }).expect(201);
    first = posted.body.commentId;
    expect(posted.body).toMatchObject({ version: 1, events: [{ type: 'CommentPosted' }] });
    expect((await thread('viewer', 'risk', 'risk-1')).map((c) => [c.body, c.author])).toEqual([[`<@${people.dev}> can you call the vendor?`, `user:${people.pm}`]]);
    expect((await inbox('dev')).map((n) => [n.subject, n.reason])).toEqual([[{ kind: 'comment', id: first, projectId }, { kind: 'mention', commentId: first }]]);
    // The author mentioning themselves is not told of their own words.
    await as('pm').post(comments, { on: { kind: 'risk', id: 'risk-1' }, body: `note to self <@${people.pm}>` }).expect(201);
    expect(await inbox('pm')).toEqual([]);
  });

  it('retries a post with the same id as the same fact, and keeps threads apart', async () => {
    const commentId = randomUUID();
    const body = { commentId, on: { kind: 'task', id: 'constructor' }, body: 'Task of a prototype name' };
    await as('dev').post(comments, body).expect(201);
    expect((await as('dev').post(comments, body).expect(201)).body.events).toEqual([]);
    await as('pm').post(comments, body).expect(409);
    expect((await thread('dev', 'task', 'constructor')).map((c) => c.commentId)).toEqual([commentId]);
    expect((await thread('dev', 'task', '__proto__'))).toEqual([]);
    await as('dev').post(comments, { on: { kind: 'task', id: 'constructor' }, replyTo: first, body: 'wrong thread' }).expect(404);
    const reply = await as('dev').post(comments, { on: { kind: 'risk', id: 'risk-1' }, replyTo: first, body: 'On it' }).expect(201);
    expect((await thread('dev', 'risk', 'risk-1')).find((c) => c.commentId === reply.body.commentId)?.replyTo).toBe(first);
  });

  it('lets only the author edit, notifies only people newly mentioned, and keeps every revision readable', async () => {
    await as('dev').patch(`${comments}/${first}`, { body: 'hijack' }).expect(403);
    await as('admin').patch(`${comments}/${first}`, { body: 'moderated' }).expect(403);
    await as('pm').patch(`${comments}/${first}`, { body: `<@${people.dev}> and <@${people.admin}>: call the vendor today` }).expect(200);
    expect(await inbox('dev')).toHaveLength(1);
    expect((await inbox('admin')).map((n) => n.reason)).toEqual([{ kind: 'mention', commentId: first }]);
    const history = (await as('viewer').get(`${comments}/${first}/history`).expect(200)).body;
    expect(history.revisions.map((r: { revision: number; body: string }) => [r.revision, r.body])).toEqual([
      [1, `<@${people.dev}> can you call the vendor?`],
      [2, `<@${people.dev}> and <@${people.admin}>: call the vendor today`],
    ]);
  });

  it('lets the author or a pmo-admin delete; the tombstone stays in the thread and the history', async () => {
    const other = (await as('dev').post(comments, { on: { kind: 'issue', id: 'issue-9' }, body: 'Spam' }).expect(201)).body.commentId;
    await as('pm').delete(`${comments}/${other}`).expect(403);
    await as('viewer').delete(`${comments}/${other}`).expect(403);
    await as('admin').delete(`${comments}/${other}`).expect(200);
    await as('pm').delete(`${comments}/${first}`).expect(200);
    expect((await as('pm').delete(`${comments}/${first}`).expect(200)).body.events).toEqual([]);
    await as('pm').patch(`${comments}/${first}`, { body: 'too late' }).expect(409);
    const [tombstone] = await thread('dev', 'risk', 'risk-1');
    expect(tombstone).toMatchObject({ commentId: first, deleted: true, body: null });
    const history = (await as('dev').get(`${comments}/${first}/history`).expect(200)).body.revisions as Array<{ change: string; body: string | null }>;
    expect(history.map((r) => r.change)).toEqual(['CommentPosted', 'CommentEdited', 'CommentDeleted']);
    expect(history[1].body).toContain('call the vendor today');
  });

  it('answers a comment of another project or tenant as missing, and refuses viewers', async () => {
    await as('otherTenant').get(`${comments}/${first}/history`).expect(404);
    await as('pm').get(`/projects/${randomUUID()}/comments/${first}/history`).expect(404);
    await as('otherTenant').patch(`${comments}/${first}`, { body: 'x' }).expect(404);
    expect(await thread('otherTenant', 'risk', 'risk-1')).toEqual([]);
    await as('viewer').post(comments, { on: { kind: 'risk', id: 'risk-1' }, body: 'Viewer speaking' }).expect(403);
  });

  it('rebuilds the threads from the log to the same rows, twice', async () => {
    const rows = async () => (await pool.query(`SELECT comment_id, project_id, target_kind, target_id, reply_to, author, body, mentions, revision, posted_at, edited_at, deleted_at, deleted_by FROM notification_comments WHERE tenant_id = $1 ORDER BY comment_id`, [tenant])).rows;
    const before = await rows();
    expect(before.length).toBeGreaterThan(3);
    const model = service.app.get(CommentsReadModel);
    await model.runner.rebuild();
    expect(await rows()).toEqual(before);
    await model.runner.rebuild();
    expect(await rows()).toEqual(before);
  });

  it('answers hostile input with a 4xx problem', async () => {
    const hostile: Array<[string, string, unknown?]> = [
      ['post', `/projects/constructor/comments`, { on: { kind: 'risk', id: 'r' }, body: 'x' }],
      ['post', `/projects/__proto__/comments`, { on: { kind: 'risk', id: 'r' }, body: 'x' }],
      ['post', comments, { on: { kind: 'risk', id: 'r' }, body: 'nul \u0000 here' }],
      ['post', comments, { on: { kind: 'risk', id: 'r' }, body: 'lone \ud800 surrogate' }],
      ['post', comments, { on: { kind: 'risk', id: 'a\u0000b' }, body: 'x' }],
      ['post', comments, { on: { kind: 'constructor', id: 'r' }, body: 'x' }],
      ['post', comments, { on: { kind: 'risk', id: 'r' }, body: 'x'.repeat(10_001) }],
      ['post', comments, '{"on":{"kind":"risk","id":"r"},"body":"x","__proto__":{"admin":true}}'],
      ['post', comments, '{"on":{"kind":"risk","id":"r"},"body":"x","constructor":{"prototype":{"admin":true}}}'],
      ['post', comments, JSON.parse(`${'{"a":'.repeat(300)}1${'}'.repeat(300)}`)],
      ['post', comments, { on: { kind: 'risk', id: 'r' }, body: Array.from({ length: 21 }, (_, i) => `<@p${i}>`).join(' ') }],
      ['patch', `${comments}/constructor`, { body: 'x' }],
      ['delete', `${comments}/__proto__`],
      ['get', `${comments}/%00/history`],
      ['get', `${comments}?kind=risk&id=%00`],
      ['get', `${comments}?kind=risk&id=r&limit=100000`],
      ['get', `/projects/${projectId}/activity?before=constructor`],
      ['get', `/projects/__proto__/activity`],
    ];
    const answers: Array<[string, string, number, string]> = [];
    for (const [method, path, body] of hostile) {
      const raw = typeof body === 'string';
      const req = method === 'get' ? as('pm').get(path) : method === 'delete' ? as('pm').delete(path) : method === 'patch' ? as('pm').patch(path, body) : as('pm').post(path, body);
      const res = await (raw ? req.set('content-type', 'application/json') : req);
      answers.push([method, path, res.status, String(res.headers['content-type'])]);
    }
    expect(answers.filter(([, , status, type]) => status < 400 || status >= 500 || !type.startsWith('application/problem+json'))).toEqual([]);
    const huge = await as('pm').post(comments, { on: { kind: 'risk', id: 'r' }, body: 'x'.repeat(3_000_000) });
    expect([400, 413]).toContain(huge.status);
  });

  it('keeps the project’s activity from planning and risk events, newest first, each event once', async () => {
    const kafka = service.app.get<Kafka>(KAFKA);
    const producer = kafka.producer();
    await producer.connect();
    const types: Array<[BoundedContext, string]> = [
      ['planning', 'pm.planning.ProjectCreated'],
      ['planning', 'pm.planning.TaskDurationEstimated'],
      ['risk', 'pm.risk.RiskIdentified'],
    ];
    const sent: string[] = [];
    const base = Date.now() - 60_000;
    try {
      for (const [context, type] of types) {
        const occurredAt = new Date(base + sent.length * 1000).toISOString();
        const contract = contractRegistry.latest(type);
        const example = contract.example as Record<string, unknown>;
        if (typeof example.projectId !== 'string') continue;
        const eventId = randomUUID();
        const stored = {
          streamId: `s:${tenant}:${eventId}`,
          streamVersion: 1,
          eventId,
          type: type.slice(type.lastIndexOf('.') + 1),
          schemaVersion: contract.version,
          tenantId: tenant,
          data: { ...example, projectId },
          metadata: { eventId, tenantId: tenant, actor: `user:${people.pm}`, correlationId: eventId, causationId: null, occurredAt },
          occurredAt,
          recordedAt: new Date().toISOString(),
          checkpoint: { transactionId: '1', position: '1' },
        };
        const message = storedEventToKafkaMessage(context, stored as never);
        const topic = context === 'planning' ? TOPICS.planning : TOPICS.risk;
        await producer.send({ topic, messages: [message] });
        // Delivered twice (a redelivery): the feed keeps it once.
        await producer.send({ topic, messages: [message] });
        sent.push(type);
      }
    } finally {
      await producer.disconnect();
    }
    expect(sent.length).toBeGreaterThanOrEqual(2);
    const all = await waitFor(
      async () => {
        const body = (await as('viewer').get(`/projects/${projectId}/activity`).expect(200)).body;
        return body.items.length >= sent.length ? body : null;
      },
      { what: 'the activity feed', timeoutMs: 90_000 },
    );
    const feed = { all, first: (await as('viewer').get(`/projects/${projectId}/activity?limit=1`).expect(200)).body };
    expect(feed.all.items.map((i: { eventType: string }) => i.eventType)).toEqual([...sent].reverse());
    expect(feed.all.items[0]).toMatchObject({ actor: `user:${people.pm}`, projectId });
    expect(feed.first.items).toHaveLength(1);
    const next = (await as('viewer').get(`/projects/${projectId}/activity?limit=1&before=${feed.first.page.next}`).expect(200)).body;
    expect(next.items[0].eventType).toBe(sent[sent.length - 2]);
    expect((await as('otherTenant').get(`/projects/${projectId}/activity`).expect(200)).body.items).toEqual([]);
  }, 120_000);
});
