import { Controller, Get, Logger as NestLogger, Module, Param } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { trace } from '@opentelemetry/api';
import { AuthModule, signDevToken } from '@pm/platform/auth';
import { configureHttpApp } from '@pm/platform/http';
import { Logger } from 'nestjs-pino';
import request from 'supertest';
import { ObservabilityModule } from './observability.module';
import { READINESS_CHECKS, provideReadinessCheck } from './readiness';
import { shutdownTelemetry, startTelemetry } from './telemetry.sdk';

const SECRET = 'observability-spec-secret-0123456789abcdef';
const logLines: string[] = [];
const logs = () => logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
const state = { kafkaDown: false, postgresHangs: false };

@Controller('projects')
class ProjectsController {
  private readonly logger = new NestLogger(ProjectsController.name);

  @Get(':projectId')
  get(@Param('projectId') projectId: string): { projectId: string; traceId: string } {
    return trace.getTracer('spec').startActiveSpan('load project', (span) => {
      this.logger.log({ projectId, command: { password: 'hunter2', settings: { apiKey: 'k-123', clientSecret: 's-456' } } }, 'loaded');
      span.end();
      return { projectId, traceId: span.spanContext().traceId };
    });
  }
}

const KAFKA = Symbol('KAFKA');

@Module({
  providers: [
    { provide: KAFKA, useValue: { ping: async () => (state.kafkaDown ? Promise.reject(new Error('broker 127.0.0.1:9092 refused')) : undefined) } },
    provideReadinessCheck({ name: 'kafka', inject: [KAFKA], useFactory: (kafka: { ping(): Promise<void> }) => () => kafka.ping() }),
    {
      provide: READINESS_CHECKS,
      useValue: [{ name: 'postgres', check: () => (state.postgresHangs ? new Promise<void>(() => undefined) : Promise.resolve()) }],
    },
  ],
  controllers: [ProjectsController],
})
class FeatureModule {}

@Module({
  imports: [
    ObservabilityModule.forRoot({
      serviceName: 'spec-service',
      logLevel: 'info',
      readinessTimeoutMs: 300,
      logDestination: { write: (line: string) => void logLines.push(line) },
    }),
    AuthModule.forRoot({ jwtSecret: SECRET }),
    FeatureModule,
  ],
})
class SpecAppModule {}

/** Samples of one metric in the Prometheus text format, labels in the order they were printed. */
function samples(exposition: string, metric: string): Array<{ labels: Record<string, string>; value: number }> {
  return exposition
    .split('\n')
    .filter((line) => line.startsWith(`${metric}{`))
    .map((line) => {
      const [, labelText = '', value = ''] = /^[^{]+\{(.*)\} (\S+)$/.exec(line) ?? [];
      const labels = Object.fromEntries([...labelText.matchAll(/(\w+)="([^"]*)"/g)].map(([, k = '', v = '']) => [k, v]));
      return { labels, value: Number(value) };
    });
}

describe('ObservabilityModule', () => {
  let app: INestApplication;
  let token: string;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    startTelemetry({ serviceName: 'spec-service' });
    token = await signDevToken({ tenant: 'acme', roles: ['viewer'], sub: 'u-9', secret: SECRET });
    const moduleRef = await Test.createTestingModule({ imports: [SpecAppModule] }).compile();
    app = moduleRef.createNestApplication({ bufferLogs: true });
    app.useLogger(app.get(Logger));
    configureHttpApp(app);
    await app.init();
  });

  afterAll(async () => {
    await app.close();
    await shutdownTelemetry();
  });

  beforeEach(() => {
    logLines.length = 0;
    state.kafkaDown = false;
    state.postgresHangs = false;
  });

  describe('GET /metrics', () => {
    it('is public and exposes the request duration histogram by method, route and status', async () => {
      await http().get('/projects/p-1').set('Authorization', `Bearer ${token}`).expect(200);
      await http().get('/projects/p-2').expect(401);
      await http().get('/no/such/route').set('Authorization', `Bearer ${token}`).expect(404);

      const res = await http().get('/metrics').expect(200).expect('Content-Type', /^text\/plain/);
      const counts = samples(res.text, 'http_server_request_duration_seconds_count');
      const count = (labels: Record<string, string>) =>
        counts.find((sample) => JSON.stringify(sample.labels) === JSON.stringify({ service: 'spec-service', ...labels }))?.value;
      expect(count({ method: 'GET', route: '/projects/:projectId', status: '200' })).toBeGreaterThanOrEqual(1);
      expect(count({ method: 'GET', route: '/projects/:projectId', status: '401' })).toBeGreaterThanOrEqual(1);
      expect(count({ method: 'GET', route: 'unmatched', status: '404' })).toBeGreaterThanOrEqual(1);
      expect(samples(res.text, 'http_server_request_duration_seconds_bucket').length).toBeGreaterThan(10);
      expect(res.text).toContain('process_cpu_user_seconds_total');
    });
  });

  describe('health', () => {
    it('answers /health/live without a token', async () => {
      const res = await http().get('/health/live').expect(200);
      expect(res.body).toMatchObject({ status: 'ok', info: { process: { status: 'up' } } });
    });

    it('answers /health/ready with 200 when every registered check passes', async () => {
      const res = await http().get('/health/ready').expect(200);
      expect(res.body).toMatchObject({ status: 'ok', details: { kafka: { status: 'up' }, postgres: { status: 'up' } } });
    });

    it('answers 503 naming the failing check when one throws', async () => {
      state.kafkaDown = true;
      const res = await http().get('/health/ready').expect(503).expect('Content-Type', /^application\/problem\+json/);
      expect(res.body).toMatchObject({
        status: 503,
        code: 'NOT_READY',
        detail: 'Failing readiness checks: kafka.',
        details: {
          status: 'error',
          error: { kafka: { status: 'down', message: expect.stringContaining('refused') } },
          info: { postgres: { status: 'up' } },
        },
      });
    });

    it('fails a check that does not answer within the timeout', async () => {
      state.postgresHangs = true;
      const res = await http().get('/health/ready').expect(503);
      expect(res.body.detail).toBe('Failing readiness checks: postgres.');
    });
  });

  describe('logs', () => {
    it('carry the trace and span id of the active span', async () => {
      const res = await http().get('/projects/p-7').set('Authorization', `Bearer ${token}`).expect(200);
      const line = logs().find((entry) => entry['msg'] === 'loaded');
      expect(line).toMatchObject({
        level: 'info',
        service: 'spec-service',
        context: 'ProjectsController',
        projectId: 'p-7',
        reqId: expect.any(String),
        traceId: res.body.traceId,
        spanId: expect.stringMatching(/^[0-9a-f]{16}$/),
      });
    });

    it('redact the authorization header, cookies and anything named like a secret', async () => {
      await http()
        .get('/projects/p-8')
        .set('Authorization', `Bearer ${token}`)
        .set('Cookie', 'session=abc-session-cookie')
        .set('User-Agent', 'spec-agent/1.0')
        .set('X-Forwarded-For', '203.0.113.7')
        .expect(200);
      const output = logLines.join('\n');
      for (const secret of [token, 'abc-session-cookie', 'hunter2', 'k-123', 's-456']) expect(output).not.toContain(secret);

      const loaded = logs().find((entry) => entry['msg'] === 'loaded');
      expect(loaded?.['command']).toEqual({ password: '[REDACTED]', settings: { apiKey: '[REDACTED]', clientSecret: '[REDACTED]' } });
      // The request line names no header but the user agent and the body's length: no credential header reaches it.
      const completed = logs().find((entry) => entry['msg'] === 'request completed');
      expect(Object.keys(completed?.['req'] as object).sort()).toEqual(['forwardedFor', 'id', 'method', 'remoteAddress', 'remotePort', 'url', 'userAgent']);
      expect(completed?.['req']).toMatchObject({ userAgent: 'spec-agent/1.0', forwardedFor: '203.0.113.7' });
      expect(Object.keys(completed?.['res'] as object)).toEqual(['statusCode']);
    });

    it('keep no credential a client put in the query string', async () => {
      await http().get('/projects/p-7?access_token=qs-token-1234&view=full').set('Authorization', `Bearer ${token}`).expect(200);
      expect(logLines.join('\n')).not.toContain('qs-token-1234');
      const completed = logs().find((entry) => entry['msg'] === 'request completed');
      expect((completed?.['req'] as { url: string }).url).toBe('/projects/p-7?access_token=%5BREDACTED%5D&view=full');
    });

    it('log each request with its id, the caller and the status', async () => {
      const res = await http()
        .get('/projects/p-9')
        .set('Authorization', `Bearer ${token}`)
        .set('x-request-id', 'req-abc-123')
        .expect(200);
      expect(res.headers['x-request-id']).toBe('req-abc-123');
      const completed = logs().find((entry) => entry['msg'] === 'request completed');
      expect(completed).toMatchObject({
        req: { id: 'req-abc-123', method: 'GET', url: '/projects/p-9' },
        tenantId: 'acme',
        actor: 'user:u-9',
        res: { statusCode: 200 },
      });
    });

    it('leave probes and scrapes out of the request log', async () => {
      await http().get('/health/live').expect(200);
      await http().get('/metrics').expect(200);
      expect(logs().filter((entry) => entry['msg'] === 'request completed')).toEqual([]);
    });
  });
});
