import { randomBytes, randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { Pool } from 'pg';
import request from 'supertest';
import { AppModule as RiskApp } from '../../apps/risk-service/src/app.module';
import { signDevToken } from '@pm/platform/auth';
import { PgIdempotencyRecords } from '@pm/platform/event-store';
import { requestFingerprint, rememberRawBody } from '@pm/platform/http';
import type { HttpRequest } from '@pm/platform/http';
import { createTestDatabase } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { startService, ownConsumerGroups } from './service-harness';
import type { RunningService } from './service-harness';

/**
 * `Idempotency-Key` on a real service's command (ADR 0013): identifying a risk mints a new risk id each time, so
 * without the key a retry is a second risk. Counts come from the service's own event store.
 */
describe('Idempotency-Key on the risk service', () => {
  let db: TestDatabase;
  let pool: Pool;
  let risk: RunningService;
  const tenantA = `tenant-idem-a-${randomBytes(4).toString('hex')}`;
  const tenantB = `tenant-idem-b-${randomBytes(4).toString('hex')}`;
  const projectId = randomUUID();
  const risks = `/projects/${projectId}/risks`;
  const tokens: Record<string, string> = {};
  const statement = { kind: 'threat', title: 'Vendor late', cause: 'Single factory', event: 'Appliances arrive late', effect: 'Cut-over slips', categoryId: 'suppliers' };
  const identify = (who: string, key: string | undefined, body: object = statement) => {
    const req = request(risk.url).post(risks).set('authorization', `Bearer ${tokens[who]}`);
    return (key === undefined ? req : req.set('Idempotency-Key', key)).send(body);
  };
  const identified = async (tenant: string): Promise<number> =>
    Number((await pool.query(`SELECT count(*) FROM es_events WHERE tenant_id = $1 AND event_type = 'RiskIdentified'`, [tenant])).rows[0].count);
  const keyRow = async (tenant: string, principal: string, key: string) =>
    (await pool.query(`SELECT committed_at, status FROM idempotency_keys WHERE tenant_id = $1 AND principal = $2 AND key = $3`, [tenant, principal, key])).rows[0];

  function expectProblem(res: request.Response, status: number, code: string): void {
    expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  }

  beforeAll(async () => {
    db = await createTestDatabase('e2e_idempotency_key');
    pool = new Pool({ connectionString: db.url, max: 2 });
    // An idle client ended under it (the database dropped WITH (FORCE) at the end) must not become an unhandled error.
    pool.on('error', () => undefined);
    risk = await startService('risk-service', RiskApp.register({ pgUrl: db.url, schedulerPollMs: 3_600_000, ...ownConsumerGroups('risk') }));
    tokens['pm'] = await signDevToken({ tenant: tenantA, sub: 'pm-a', roles: ['project-manager'] });
    tokens['pm2'] = await signDevToken({ tenant: tenantA, sub: 'pm-a2', roles: ['project-manager'] });
    tokens['other'] = await signDevToken({ tenant: tenantB, sub: 'pm-a', roles: ['project-manager'] });
    for (const tenant of [tenantA, tenantB]) {
      const admin = await signDevToken({ tenant, sub: 'admin', roles: ['pmo-admin'] });
      await request(risk.url).post('/risk-settings/categories').set('authorization', `Bearer ${admin}`).send({ categoryId: 'suppliers', name: 'Suppliers' }).expect(201);
    }
  }, 120_000);

  afterAll(async () => {
    await risk?.close();
    await pool?.end();
    await db?.drop();
  });

  it('without a key, a retry is a second risk (what the key is for)', async () => {
    const before = await identified(tenantA);
    await identify('pm', undefined).expect(201);
    await identify('pm', undefined).expect(201);
    expect((await identified(tenantA)) - before).toBe(2);
  });

  it('runs the first request once and replays its answer, marked, to the same request again', async () => {
    const before = await identified(tenantA);
    const key = randomUUID();
    const first = await identify('pm', key).expect(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    // The write path marked the key committed in the command's own transaction, then the answer was stored.
    expect(await keyRow(tenantA, 'pm-a', key)).toMatchObject({ committed_at: expect.any(Date), status: 201 });

    const again = await identify('pm', `"${key}"`).expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(again.headers['etag']).toBe(first.headers['etag']);
    expect(again.headers['content-type']).toBe(first.headers['content-type']);
    expect((await identified(tenantA)) - before).toBe(1);
  });

  it('stores a 4xx answer and replays it; a different body with the key is 422 IDEMPOTENCY_KEY_REUSED', async () => {
    const key = randomUUID();
    const refused = await identify('pm', key, { ...statement, kind: 'neither' });
    expectProblem(refused, 400, 'VALIDATION_FAILED');
    const replayed = await identify('pm', key, { ...statement, kind: 'neither' });
    expectProblem(replayed, 400, 'VALIDATION_FAILED');
    expect(replayed.headers['idempotent-replayed']).toBe('true');

    const reusedKey = randomUUID();
    await identify('pm', reusedKey).expect(201);
    const before = await identified(tenantA);
    expectProblem(await identify('pm', reusedKey, { ...statement, title: 'Vendor early' }), 422, 'IDEMPOTENCY_KEY_REUSED');
    expect(await identified(tenantA)).toBe(before);
  });

  it('keys are per tenant and principal: the same key elsewhere runs on its own and sees nothing of the first', async () => {
    const key = 'shared-key-1';
    const [a, a2, b] = [await identify('pm', key).expect(201), await identify('pm2', key).expect(201), await identify('other', key).expect(201)];
    expect(new Set([a.body.riskId, a2.body.riskId, b.body.riskId]).size).toBe(3);
    for (const res of [a2, b]) expect(res.headers['idempotent-replayed']).toBeUndefined();
    expect(await identified(tenantB)).toBe(1);
  });

  it('concurrent requests with one key run the command once; the others get 409 with Retry-After or the replay', async () => {
    const before = await identified(tenantA);
    const key = randomUUID();
    const answers = await Promise.all(Array.from({ length: 6 }, () => identify('pm', key)));
    expect((await identified(tenantA)) - before).toBe(1);
    const created = answers.filter((res) => res.status === 201);
    expect(created.filter((res) => res.headers['idempotent-replayed'] === undefined)).toHaveLength(1);
    expect(new Set(created.map((res) => res.body.riskId)).size).toBe(1);
    for (const res of answers.filter((r) => r.status !== 201)) {
      expectProblem(res, 409, 'IDEMPOTENCY_KEY_IN_FLIGHT');
      expect(res.headers['retry-after']).toBe('1');
    }
  });

  describe('the crash windows, simulated on the key row', () => {
    const body = JSON.stringify(statement);
    const fingerprint = (): string => {
      const req = { method: 'POST', url: risks, originalUrl: risks, headers: { 'content-type': 'application/json' } } as unknown as HttpRequest;
      rememberRawBody(req, undefined, Buffer.from(body));
      return requestFingerprint(req);
    };
    const holdKey = (key: string, leaseMs: number) =>
      new PgIdempotencyRecords(pool, { leaseMs }).claim({ claim: { tenantId: tenantA, principal: 'pm-a', key, token: randomUUID() }, method: 'POST', path: risks, fingerprint: fingerprint(), successStatus: 201 });

    it('a key held by a live request answers 409 IDEMPOTENCY_KEY_IN_FLIGHT and runs nothing', async () => {
      const key = randomUUID();
      expect(await holdKey(key, 60_000)).toEqual({ kind: 'claimed' });
      const before = await identified(tenantA);
      const res = await identify('pm', key);
      expectProblem(res, 409, 'IDEMPOTENCY_KEY_IN_FLIGHT');
      expect(await identified(tenantA)).toBe(before);
    });

    it('a holder that died before committing (lease over, no commit mark): the retry runs the command, once', async () => {
      const key = randomUUID();
      expect(await holdKey(key, 1)).toEqual({ kind: 'claimed' });
      await new Promise((resolve) => setTimeout(resolve, 20));
      const before = await identified(tenantA);
      const res = await identify('pm', key).expect(201);
      expect(res.headers['idempotent-replayed']).toBeUndefined();
      expect((await identified(tenantA)) - before).toBe(1);
    });

    it('the command committed but its answer was never stored: the retry gets the success status, not a second risk', async () => {
      const key = randomUUID();
      await identify('pm', key).expect(201);
      const before = await identified(tenantA);
      // What a crash between the commit and storing the answer leaves: the commit mark, no answer, a lease run out.
      await pool.query(
        `UPDATE idempotency_keys SET status = NULL, response_headers = NULL, response_body = NULL, completed_at = NULL, lease_until = now() - interval '1 second'
          WHERE tenant_id = $1 AND principal = 'pm-a' AND key = $2`,
        [tenantA, key],
      );
      const retried = await identify('pm', key).expect(201);
      expect(retried.headers['idempotent-replayed']).toBe('true');
      expect(retried.headers['idempotency-recovered']).toBe('true');
      expect(retried.body).toMatchObject({ idempotencyKey: key, outcome: 'committed' });
      const again = await identify('pm', key).expect(201);
      expect(again.body).toEqual(retried.body);
      expect(await identified(tenantA)).toBe(before);
    });
  });

  describe('hostile keys', () => {
    it.each([
      ['10 kB', 'k'.repeat(10_240)],
      ['a space', 'two words'],
      ['256 characters', 'a'.repeat(256)],
    ])('refuses %s with 400 IDEMPOTENCY_KEY_INVALID and runs nothing', async (_name, key) => {
      const before = await identified(tenantA);
      expectProblem(await identify('pm', key), 400, 'IDEMPOTENCY_KEY_INVALID');
      expect(await identified(tenantA)).toBe(before);
    });

    it('refuses a NUL in the header before any route (Node\'s parser), as problem+json', async () => {
      const { port } = new URL(risk.url);
      const raw = await new Promise<string>((resolve, reject) => {
        const socket = connect(Number(port), '127.0.0.1', () => {
          socket.write(`POST ${risks} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${tokens['pm']}\r\nIdempotency-Key: a\u0000b\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`);
        });
        let text = '';
        socket.on('data', (chunk) => (text += chunk.toString()));
        socket.on('end', () => resolve(text));
        socket.on('error', reject);
      });
      expect(raw).toMatch(/^HTTP\/1\.1 400 /);
      expect(raw).toMatch(/application\/problem\+json/);
    });

    it('takes __proto__ and constructor as ordinary keys: each runs once, then replays', async () => {
      for (const key of ['__proto__', 'constructor']) {
        const first = await identify('pm', key).expect(201);
        const again = await identify('pm', key).expect(201);
        expect({ replayed: again.headers['idempotent-replayed'], riskId: again.body.riskId }).toEqual({ replayed: 'true', riskId: first.body.riskId });
      }
    });
  });
});
