import { randomBytes } from 'node:crypto';
import net from 'node:net';
import request from 'supertest';
import { AppModule as PlanningApp } from '../../apps/planning-service/src/app.module';
import { AppModule as ResourceApp } from '../../apps/resource-service/src/app.module';
import { signDevToken } from '@pm/platform/auth';
import { createTestDatabase, waitFor } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { startService } from './service-harness';
import type { RunningService } from './service-harness';

const TIMEOUT_MS = 1_500;

/** Opens a raw connection, sends the head of a JSON request and half its body, and collects what comes back. */
function holdRequest(url: string, path: string, token: string): { answer: Promise<string> } {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  const body = JSON.stringify({ name: 'never finished' });
  socket.write(
    `POST ${path} HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`,
  );
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  const answer = new Promise<string>((resolve) => {
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', () => undefined);
  });
  return { answer };
}

/** A plan of `n` unlinked one-day tasks: about 80 bytes a task. */
const planXml = (n: number): string =>
  `<Project xmlns="http://schemas.microsoft.com/project"><StartDate>2025-01-06T08:00:00</StartDate><Tasks>${Array.from(
    { length: n },
    (_, i) => `<Task><UID>${i + 1}</UID><Name>Task ${i + 1}</Name><Duration>PT8H0M0S</Duration></Task>`,
  ).join('')}</Tasks></Project>`;

/**
 * No request runs unbounded (issue 10, point 3): a request that is not answered within HTTP_REQUEST_TIMEOUT_MS gets a
 * 503 REQUEST_TIMED_OUT and its socket is closed, while other tenants' requests go on being answered; JSON bodies
 * stop at 1 MiB, the MSPDI import streams its own larger limit; client-controlled page sizes are capped.
 */
describe('Request limits', () => {
  let db: TestDatabase;
  let planning: RunningService;
  const slow = `tenant-slow-${randomBytes(3).toString('hex')}`;
  const other = `tenant-other-${randomBytes(3).toString('hex')}`;
  let slowPm: string;
  let otherPm: string;
  const saved = process.env['HTTP_REQUEST_TIMEOUT_MS'];

  beforeAll(async () => {
    db = await createTestDatabase('e2e_request_limits');
    process.env['HTTP_REQUEST_TIMEOUT_MS'] = String(TIMEOUT_MS);
    planning = await startService('planning-service', PlanningApp.register({ pgUrl: db.url }));
    slowPm = await signDevToken({ tenant: slow, roles: ['project-manager'], sub: 'pm-slow' });
    otherPm = await signDevToken({ tenant: other, roles: ['project-manager'], sub: 'pm-other' });
  }, 120_000);

  afterAll(async () => {
    if (saved === undefined) delete process.env['HTTP_REQUEST_TIMEOUT_MS'];
    else process.env['HTTP_REQUEST_TIMEOUT_MS'] = saved;
    await planning?.close();
    await db?.drop();
  });

  it("answers another tenant while one tenant's request is held, then times the held one out with 503 problem+json", async () => {
    let heldSettled = false;
    const held = holdRequest(planning.url, '/projects', slowPm);
    void held.answer.then(() => (heldSettled = true));

    const created = await request(planning.url).post('/projects').set('authorization', `Bearer ${otherPm}`).send({ name: 'Other tenant' }).expect(201);
    await request(planning.url).get(`/projects/${created.body.projectId}`).set('authorization', `Bearer ${otherPm}`).expect(200);
    expect(heldSettled).toBe(false);

    const raw = await held.answer;
    expect(raw).toMatch(/^HTTP\/1\.1 503 /);
    expect(raw).toMatch(/content-type: application\/problem\+json/i);
    expect(raw).toMatch(/retry-after: 1/i);
    const body = JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4));
    expect(body).toMatchObject({ status: 503, code: 'REQUEST_TIMED_OUT', instance: '/projects' });

    await request(planning.url).get('/health/ready').expect(200);
  });

  it('refuses a JSON body over 1 MiB with 413 problem+json', async () => {
    const res = await request(planning.url)
      .post('/projects')
      .set('authorization', `Bearer ${otherPm}`)
      .send({ name: 'Big', description: 'x'.repeat(1024 * 1024 + 1) })
      .expect(413);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('accepts an MSPDI import larger than the JSON limit (the route streams its own limit) and imports it', async () => {
    const projectId = (await request(planning.url).post('/projects').set('authorization', `Bearer ${otherPm}`).send({ name: 'Imported' }).expect(201)).body.projectId;
    const xml = planXml(15_000);
    expect(Buffer.byteLength(xml)).toBeGreaterThan(1024 * 1024);
    const accepted = await request(planning.url)
      .post(`/projects/${projectId}/schedule/import`)
      .set('authorization', `Bearer ${otherPm}`)
      .set('content-type', 'application/xml')
      .send(xml)
      .expect(202);
    const location: string = accepted.headers['location'];
    const job = await waitFor(
      async () => {
        // A poll answered 503 with Retry-After (the request timeout of this spec is 1.5 s, and the service is busy
        // committing 15,000 tasks) is polled again, as a client would.
        const res = await request(planning.url).get(location).set('authorization', `Bearer ${otherPm}`);
        if (res.status === 503 && res.headers['retry-after']) return undefined;
        expect(res.status).toBe(200);
        const current = res.body;
        return current.state === 'succeeded' || current.state === 'failed' ? current : undefined;
      },
      { timeoutMs: 90_000, what: 'the import job to end' },
    );
    expect(job).toMatchObject({ state: 'succeeded', result: { tasks: 15_000 } });
  }, 120_000);

  it('answers a URL over the header limit with 431 problem+json, not a bare status line', async () => {
    const res = await fetch(`${planning.url}/projects/${'x'.repeat(20_000)}`, { headers: { authorization: `Bearer ${otherPm}` } });
    expect(res.status).toBe(431);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await res.json()).toMatchObject({ status: 431, code: 'REQUEST_HEADERS_TOO_LARGE' });
  });

  it('caps a client-controlled page size (schedule pages of at most 5,000 tasks)', async () => {
    // The same tenant's 15,000-task import above may still be relayed and projected on a loaded machine: a create
    // answered 503 with Retry-After (this spec's request timeout is 1.5 s) is sent again, as a client would.
    const projectId = await waitFor(
      async () => {
        const res = await request(planning.url).post('/projects').set('authorization', `Bearer ${otherPm}`).send({ name: 'Paged' });
        if (res.status === 503 && res.headers['retry-after']) return undefined;
        expect(res.status).toBe(201);
        return res.body.projectId as string;
      },
      { timeoutMs: 30_000, what: 'the project to be created' },
    );
    const res = await request(planning.url).get(`/projects/${projectId}/schedule?limit=5001`).set('authorization', `Bearer ${otherPm}`);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: '/limit' })]));
  });
});

describe('Request limits of the resource service', () => {
  let db: TestDatabase;
  let resource: RunningService;
  let manager: string;

  beforeAll(async () => {
    db = await createTestDatabase('e2e_request_limits_resource');
    resource = await startService('resource-service', ResourceApp.register({ pgUrl: db.url, consumerGroupId: `resource-limits-${randomBytes(4).toString('hex')}` }));
    manager = await signDevToken({ tenant: `tenant-range-${randomBytes(3).toString('hex')}`, roles: ['resource-manager'], sub: 'rm' });
  }, 120_000);

  afterAll(async () => {
    await resource?.close();
    await db?.drop();
  });

  it.each(['/capacity?granularity=day&', '/utilisation?', '/skills/search?skill=sql&'])('caps the date range of %s at 1,827 days (five years)', async (prefix) => {
    const get = (from: string, to: string) => request(resource.url).get(`${prefix}from=${from}&to=${to}`).set('authorization', `Bearer ${manager}`);
    await get('2025-01-01', '2029-12-31').expect(200);
    const res = await get('0001-01-01', '9999-12-31').expect(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ path: '/to', message: expect.stringContaining('1827 days') })] });
  });
});
