import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';

const FIXTURE = join(__dirname, 'service.bootstrap.fixture.ts');
const WORKSPACE_ROOT = join(__dirname, '../../../..');

interface RunningService {
  child: ChildProcessWithoutNullStreams;
  base: string;
  logs: Array<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the fixture the way `node -r @swc-node/register apps/.../main.ts` would. */
function startService(extraEnv: Record<string, string> = {}): Promise<RunningService> {
  // NODE_OPTIONS carries Jest's --experimental-vm-modules, which a service does not run with.
  const env = { ...process.env };
  delete env['NODE_OPTIONS'];
  const child = spawn(process.execPath, ['-r', '@swc-node/register', FIXTURE], {
    cwd: WORKSPACE_ROOT,
    env: { ...env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', NODE_ENV: 'development', ...extraEnv },
  });
  const logs: Array<Record<string, unknown>> = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    let buffered = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines.filter(Boolean)) {
        const entry = JSON.parse(line) as Record<string, unknown>;
        logs.push(entry);
        const listening = /listening on (http:\/\/\S+)/.exec(String(entry['msg']));
        if (listening?.[1]) resolve({ child, base: listening[1], logs, exited });
      }
    });
    void exited.then(({ code }) => reject(new Error(`fixture exited (${code}) before listening: ${stderr}`)));
  });
}

describe('bootstrapService (a real service process)', () => {
  let service: RunningService;

  beforeAll(async () => {
    service = await startService();
  }, 30_000);

  afterAll(() => {
    if (service.child.exitCode === null && service.child.signalCode === null) service.child.kill('SIGKILL');
  });

  it('listens on PORT, serves health, metrics and docs, and protects the rest', async () => {
    expect(service.base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(service.base).not.toContain(':3999');
    expect((await fetch(`${service.base}/health/ready`)).status).toBe(200);
    expect((await fetch(`${service.base}/metrics`)).status).toBe(200);
    const doc = (await (await fetch(`${service.base}/docs-json`)).json()) as any;
    expect(doc.info.title).toBe('fixture-service');
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.paths['/health/ready'].get.security).toEqual([]);
    expect(doc.paths['/work/private'].get.security).toBeUndefined();
    const denied = await fetch(`${service.base}/work/private`);
    expect(denied.status).toBe(401);
    expect(denied.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('traces requests: the problem and the logs carry the same trace id, and no secret', async () => {
    const res = await fetch(`${service.base}/work/crash`);
    expect(res.status).toBe(500);
    const problem = (await res.json()) as { traceId: string; detail: string };
    expect(problem.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(problem)).not.toContain('hunter2');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const logged = service.logs.filter((entry) => entry['traceId'] === problem.traceId);
    expect(logged.map((entry) => entry['msg'])).toEqual(expect.arrayContaining(['Request failed']));
    expect(logged.find((entry) => entry['msg'] === 'Request failed')).toMatchObject({
      level: 'error',
      service: 'fixture-service',
      err: { message: 'database password is hunter2' },
    });
  });

  it('on SIGTERM lets the in-flight request finish, then exits without lingering', async () => {
    const inFlight = fetch(`${service.base}/work/slow`);
    await new Promise((resolve) => setTimeout(resolve, 150));
    service.child.kill('SIGTERM');
    const res = await inFlight;
    const answeredAt = Date.now();
    expect(res.status).toBe(200);
    expect(res.headers.get('connection')).toBe('close');
    expect(await res.json()).toEqual({ done: true });
    const exit = await service.exited;
    // Without draining, the busy keep-alive connection held the process for seconds.
    expect(Date.now() - answeredAt).toBeLessThan(1_500);
    // Nest re-raises the signal once its shutdown hooks ran.
    expect(exit.signal === 'SIGTERM' || exit.code === 0).toBe(true);
  }, 15_000);
});

describe('bootstrapService in production', () => {
  const productionEnv = { NODE_ENV: 'production', AUTH_JWT_SECRET: 'production-spec-secret-0123456789abcdef' };
  const stop = (service: RunningService | undefined) => {
    if (service && service.child.exitCode === null && service.child.signalCode === null) service.child.kill('SIGKILL');
  };

  describe('with METRICS_PORT', () => {
    let service: RunningService;
    beforeAll(async () => {
      service = await startService({ ...productionEnv, METRICS_PORT: '0' });
    }, 30_000);
    afterAll(() => stop(service));

    it('serves no /docs, keeps /metrics off the main port, serves it on its own port only, with security headers', async () => {
      for (const path of ['/docs', '/docs-json', '/metrics']) {
        const res = await fetch(`${service.base}${path}`);
        expect([path, res.status, res.headers.get('content-type')]).toEqual([path, 404, expect.stringMatching(/^application\/problem\+json/)]);
        expect(res.headers.get('strict-transport-security')).toMatch(/^max-age=31536000/);
      }
      const line = service.logs.map((entry) => /metrics on port (\d+)/.exec(String(entry['msg']))).find(Boolean);
      const metricsBase = `http://127.0.0.1:${line?.[1]}`;
      const scrape = await fetch(`${metricsBase}/metrics`);
      expect(scrape.status).toBe(200);
      expect(await scrape.text()).toContain('process_cpu');
      expect((await fetch(`${metricsBase}/health/live`)).status).toBe(404);
      expect((await fetch(`${metricsBase}/work/private`)).status).toBe(404);
    });
  });

  describe('with METRICS_TOKEN and API_DOCS=true', () => {
    let service: RunningService;
    const token = 'metrics-token-0123456789';
    beforeAll(async () => {
      service = await startService({ ...productionEnv, METRICS_TOKEN: token, API_DOCS: 'true' });
    }, 30_000);
    afterAll(() => stop(service));

    it('serves /docs when asked to, and /metrics only to the bearer of the metrics token', async () => {
      expect((await fetch(`${service.base}/docs-json`)).status).toBe(200);
      const anonymous = await fetch(`${service.base}/metrics`);
      expect(anonymous.status).toBe(401);
      expect(await anonymous.json()).toMatchObject({ code: 'METRICS_TOKEN_REQUIRED' });
      expect((await fetch(`${service.base}/metrics`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
      expect((await fetch(`${service.base}/metrics`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    });
  });
});
