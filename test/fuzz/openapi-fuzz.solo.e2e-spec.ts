import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { SignJWT } from 'jose';
import { AppModule as PlanningApp } from '../../apps/planning-service/src/app.module';
import { AppModule as ReportingApp } from '../../apps/reporting-service/src/app.module';
import { AppModule as ResourceApp } from '../../apps/resource-service/src/app.module';
import { AppModule as RiskApp } from '../../apps/risk-service/src/app.module';
import { AppModule as NotificationApp } from '../../apps/notification-service/src/app.module';
import { DEV_JWT_SECRET, signDevToken } from '@pm/platform/auth';
import { createTestDatabase } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { startService } from '../e2e/service-harness';
import type { RunningService } from '../e2e/service-harness';
import { SchemaArbitraries } from './openapi-arbitraries';
import { idsIn, operationsOf, requestArbitrary, send, violation } from './openapi-fuzz.harness';
import type { OpenApiDocument } from './openapi-fuzz.harness';

/**
 * Issue 10, point 8: every operation of every service's OpenAPI document (read from the running app), called with
 * valid, boundary and hostile values and tokens of every role and bad ones, answers 2xx or 4xx problem+json, never
 * 5xx and never hangs; the service is healthy afterwards. `npm test` runs FUZZ_RUNS (default 12) requests per
 * operation from the fixed FUZZ_SEED; `npm run test:fuzz` runs more, from a seed it prints (or FUZZ_SEED).
 * Answers the fuzzer found and that are not fixed yet are listed, with the reason, in known-failures.json: they are
 * printed on every run (never skipped silently), and only an answer listed there is tolerated; any other fails.
 * A solo spec: three services answering a stream of requests load the machine, so a full `npm test` runs it after
 * the others, alone, where it cannot starve their cross-service timeouts.
 */
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 12);
/** Fixed in `npm test` (the same requests every run); `npm run test:fuzz` draws a new one unless FUZZ_SEED is set. */
const SEED = Number(process.env['FUZZ_SEED'] ?? (process.env['FUZZ_LONG'] ? Math.floor(Math.random() * 2 ** 31) : 20_261_204));
/** The client gives up after this; the service's own request timeout (below) must answer well before. */
const CLIENT_TIMEOUT_MS = 15_000;
const SERVICE_TIMEOUT_MS = 10_000;

/** A listed answer: of one operation (`service`, `method`, `path`), or of every operation for one kind of `token`. */
interface KnownFailure {
  service?: string;
  method?: string;
  path?: string;
  token?: string;
  status: string;
  reason: string;
}
const KNOWN: KnownFailure[] = JSON.parse(fs.readFileSync(path.join(__dirname, 'known-failures.json'), 'utf8'));

interface Found {
  service: string;
  method: string;
  path: string;
  status: string;
  example: { token: string; url: string; body?: string; answer: string };
}

async function tokensFor(tenant: string): Promise<Record<string, string>> {
  const secret = new TextEncoder().encode(DEV_JWT_SECRET);
  const raw = (claims: Record<string, unknown>, sub: string, exp: number | string = '1h') =>
    new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setSubject(sub).setIssuedAt().setExpirationTime(exp).sign(secret);
  const roles = ['pmo-admin', 'project-manager', 'resource-manager', 'team-member', 'viewer'] as const;
  const tokens: Record<string, string> = {};
  for (const role of roles) tokens[role] = await signDevToken({ tenant, roles: [role], sub: `fuzz-${role}` });
  tokens['other-tenant'] = await signDevToken({ tenant: `${tenant}-other`, roles: ['pmo-admin'], sub: 'fuzz-other' });
  tokens['none'] = '';
  tokens['garbage'] = 'not.a.jwt';
  tokens['expired'] = await raw({ tenant, roles: ['pmo-admin'] }, 'fuzz-expired', Math.floor(Date.now() / 1000) - 3_600);
  tokens['no-roles'] = await raw({ tenant, roles: [] }, 'fuzz-no-roles');
  tokens['nul-tenant'] = await raw({ tenant: `${tenant}\u0000`, roles: ['pmo-admin'] }, 'fuzz-nul');
  tokens['surrogate-subject'] = await raw({ tenant, roles: ['pmo-admin'] }, 'fuzz-\ud800');
  tokens['prototype-tenant'] = await raw({ tenant: '__proto__', roles: ['constructor'] }, 'constructor');
  tokens['unsigned'] = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ tenant, roles: ['pmo-admin'], sub: 'x' })).toString('base64url')}.`;
  return tokens;
}

/**
 * Operations a service must publish in its OpenAPI document, so they are fuzzed: the suite fuzzes what the running app
 * documents, and a route missing from the document would go unfuzzed without a word. Listed where a route was added
 * after the suite (the portfolio views of issue 13).
 */
const MUST_FUZZ: Readonly<Record<string, readonly string[]>> = {
  'reporting-service': [
    'GET /projects',
    'GET /portfolio',
    'GET /projects/{projectId}',
    'GET /portfolio/s-curve',
    'GET /projects/{projectId}/s-curve',
    'GET /projects/{projectId}/milestone-trend',
    'GET /portfolio/utilisation-heat-map',
    'GET /portfolio/risk-heat-map',
    'GET /portfolio/risks',
    'GET /portfolio/health-rules',
    'PUT /portfolio/health-rules',
    'GET /reporting/freshness',
  ],
};

async function fuzzService(service: string, baseUrl: string, tenant: string): Promise<{ operations: string[]; requests: number; found: Found[] }> {
  const document = (await (await fetch(`${baseUrl}/docs-json`)).json()) as OpenApiDocument;
  const operations = operationsOf(document);
  const arbs = new SchemaArbitraries(document.components?.schemas ?? {});
  const tokens = await tokensFor(tenant);
  const knownIds = new Set<string>();

  // Seeding: creating things first gives the fuzzer real ids to point at; two rounds reach nested resources.
  for (let round = 0; round < 2; round++) {
    for (const op of operations.filter((o) => o.method === 'POST')) {
      const seedCtx = { tokens: { admin: tokens['pmo-admin'] ?? '' }, knownIds: [...knownIds] };
      for (const req of fc.sample(requestArbitrary(op, arbs, seedCtx), { seed: SEED + round, numRuns: 3 })) {
        const outcome = await send(baseUrl, req, CLIENT_TIMEOUT_MS);
        if (typeof outcome.status === 'number' && outcome.status < 300 && outcome.contentType.includes('json')) idsIn(JSON.parse(outcome.body), knownIds);
      }
    }
  }

  const ctx = { tokens, knownIds: [...knownIds].slice(0, 40) };
  const found = new Map<string, Found>();
  let requests = 0;
  for (const [index, op] of operations.entries()) {
    for (const req of fc.sample(requestArbitrary(op, arbs, ctx), { seed: SEED + 1_000 + index, numRuns: RUNS })) {
      const outcome = await send(baseUrl, req, CLIENT_TIMEOUT_MS);
      requests++;
      const status = violation(outcome);
      if (!status) continue;
      const token = Object.keys(tokens).find((k) => tokens[k] === req.token) ?? '?';
      const candidate: Found = { service, method: op.method, path: op.path, status, example: { token, url: req.url, body: req.body?.slice(0, 300), answer: outcome.body.slice(0, 300) } };
      const known = KNOWN.find((k) => matches(k, candidate));
      if (known) {
        tolerated.set(known, (tolerated.get(known) ?? 0) + 1);
        continue;
      }
      const key = `${op.method} ${op.path} ${status}`;
      if (!found.has(key)) found.set(key, candidate);
    }
  }
  return { operations: operations.map((op) => `${op.method} ${op.path}`), requests, found: [...found.values()] };
}

const matches = (k: KnownFailure, f: Found) =>
  k.status === f.status &&
  (k.service === undefined || k.service === f.service) &&
  (k.method === undefined || k.method === f.method) &&
  (k.path === undefined || k.path === f.path) &&
  (k.token === undefined || k.token === f.example.token);
/** How often each listed failure was seen in this run (printed: a listed failure is never skipped silently). */
const tolerated = new Map<KnownFailure, number>();

describe('Fuzzing every operation of every service from its OpenAPI document', () => {
  const dbs: TestDatabase[] = [];
  const services: Record<string, RunningService> = {};
  const tenant = `tenant-fuzz-${randomBytes(3).toString('hex')}`;
  const saved = process.env['HTTP_REQUEST_TIMEOUT_MS'];

  beforeAll(async () => {
    process.env['HTTP_REQUEST_TIMEOUT_MS'] = String(SERVICE_TIMEOUT_MS);
    const db = async (name: string) => {
      const created = await createTestDatabase(name);
      dbs.push(created);
      return created.url;
    };
    const group = (name: string) => `${name}-fuzz-${randomBytes(4).toString('hex')}`;
    services['planning-service'] = await startService('planning-service', PlanningApp.register({ pgUrl: await db('fuzz_planning') }));
    services['resource-service'] = await startService('resource-service', ResourceApp.register({ pgUrl: await db('fuzz_resource'), consumerGroupId: group('resource') }));
    services['risk-service'] = await startService('risk-service', RiskApp.register({ pgUrl: await db('fuzz_risk'), consumerGroupId: group('risk'), planConsumerGroupId: group('risk-plan') }));
    services['notification-service'] = await startService('notification-service', NotificationApp.register({ pgUrl: await db('fuzz_notification'), consumerGroupId: group('notification') }));
    services['reporting-service'] = await startService('reporting-service', ReportingApp.register({ pgUrl: await db('fuzz_reporting'), consumerGroupId: group('reporting') }));
    process.stderr.write(`[fuzz] seed ${SEED}, ${RUNS} requests per operation (FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS} npm run test:fuzz repeats it)\n`);
  }, 180_000);

  afterAll(async () => {
    if (saved === undefined) delete process.env['HTTP_REQUEST_TIMEOUT_MS'];
    else process.env['HTTP_REQUEST_TIMEOUT_MS'] = saved;
    for (const service of Object.values(services)) await service.close();
    for (const db of dbs) await db.drop();
  });

  it.each(['planning-service', 'resource-service', 'risk-service', 'notification-service', 'reporting-service'])(
    '%s answers every fuzzed request with 2xx or 4xx problem+json, never 5xx or a hang, and stays healthy',
    async (name) => {
      const service = services[name] as RunningService;
      const { operations, requests, found } = await fuzzService(name, service.url, tenant);
      process.stderr.write(`[fuzz] ${name}: ${operations.length} operations, ${requests} requests, ${found.length} distinct violations\n`);
      for (const f of found) process.stderr.write(`[fuzz] FOUND ${f.method} ${f.path} → ${f.status} (token ${f.example.token}) ${f.example.url} ${f.example.body ?? ''}\n`);
      for (const known of KNOWN) {
        const what = known.token ? `token ${known.token}` : `${known.method} ${known.path}`;
        process.stderr.write(`[fuzz] KNOWN (listed, not fixed) ${what} → ${known.status}: seen ${tolerated.get(known) ?? 0} times so far; ${known.reason}\n`);
      }
      expect(operations.length).toBeGreaterThan(0);
      expect(operations).toEqual(expect.arrayContaining([...(MUST_FUZZ[name] ?? [])]));
      expect(found).toEqual([]);
      const health = await fetch(`${service.url}/health/ready`);
      expect(health.status).toBe(200);
    },
    Math.max(600_000, RUNS * 5_000),
  );
});
