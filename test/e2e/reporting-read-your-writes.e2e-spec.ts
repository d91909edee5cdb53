import { randomBytes, randomUUID } from 'node:crypto';
import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import type { Pool } from 'pg';
import request from 'supertest';
import { AuthModule, signDevToken } from '@pm/platform/auth';
import { EventStoreModule, createPgPool } from '@pm/platform/event-store';
import { ObservabilityModule } from '@pm/platform/observability';
import { RateLimitModule } from '@pm/platform/rate-limit';
import { createTestDatabase } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { PortfolioProjection, REPORTING_MIGRATIONS, StreamVersionsWriter, streamAppliedNotifier } from '@pm/reporting/data-access';
import { PortfolioReportController } from '../../libs/reporting/feature/src/lib/portfolio-report.controller';
import { READ_YOUR_WRITES_OPTIONS, ReadYourWrites } from '../../libs/reporting/feature/src/lib/read-your-writes';
import { PortfolioEventsOf } from '../../libs/reporting/data-access/src/lib/portfolio.test-events';
import { startService } from './service-harness';
import type { RunningService } from './service-harness';

const MAX_WAITS_PER_TENANT = 3;

/** The report routes without the consumer: what it would commit is written here with its own writer and notifier. */
@Module({})
class ReadYourWritesHttpOnly {
  static register(pgUrl: string): DynamicModule {
    return {
      module: ReadYourWritesHttpOnly,
      imports: [
        ObservabilityModule.forRoot({ serviceName: 'reporting-service' }),
        AuthModule.forRoot(),
        EventStoreModule.forRoot({ url: pgUrl, migrations: REPORTING_MIGRATIONS }),
        RateLimitModule.forRoot({ pgUrl }),
      ],
      controllers: [PortfolioReportController],
      // The fallback poll only after 20 s: within a spec's waits, only the consumer's notification can wake a request.
      providers: [{ provide: READ_YOUR_WRITES_OPTIONS, useValue: { maxWaitsPerTenant: MAX_WAITS_PER_TENANT, firstPollMs: 20_000 } }, ReadYourWrites],
    };
  }
}

describe('Read-your-writes on the report routes (waitFor; real PostgreSQL, LISTEN/NOTIFY)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let service: RunningService;
  const tenant = `tenant-${randomBytes(4).toString('hex')}`;
  const erp = new PortfolioEventsOf(tenant);
  const created = erp.created('2026-03-01T09:00:00.000Z', 'ERP migration');
  const advanced = erp.advanced('2026-03-02T09:00:00.000Z', 'executing');
  const stream = `project:${tenant}:${erp.projectId}`;
  let token: string;
  const get = (path: string) => request(service.url).get(path).set('authorization', `Bearer ${token}`);
  const projection = new PortfolioProjection();
  const versions = new StreamVersionsWriter();

  /** What the reporting consumer does for one event: project it and note its stream version, then wake after COMMIT. */
  async function consume(event: typeof created): Promise<void> {
    const tx = await pool.connect();
    try {
      await tx.query('BEGIN');
      versions.begin(tx);
      versions.note(tx, event.tenantId, event.streamId, event.streamVersion);
      await projection.apply(event, tx);
      await versions.flush(tx);
      await tx.query('COMMIT');
    } finally {
      tx.release();
    }
    const notifier = streamAppliedNotifier(pool);
    notifier.notify(event.tenantId);
    await notifier.settled();
  }

  beforeAll(async () => {
    db = await createTestDatabase('e2e_read_your_writes');
    service = await startService('reporting-service', ReadYourWritesHttpOnly.register(db.url));
    pool = createPgPool(db.url);
    await consume(created);
    token = await signDevToken({ tenant, roles: ['viewer'], sub: 'viewer-1' });
  }, 120_000);

  afterAll(async () => {
    await service?.close();
    await pool?.end();
    await db?.drop();
  });

  it('answers at once when the stream is already applied at that version or later', async () => {
    const res = await get(`/projects/${erp.projectId}?waitFor=${encodeURIComponent(`${stream}@1`)}`).expect(200);
    expect(res.body.project).toMatchObject({ name: 'ERP migration', status: 'initiating' });
  });

  it('holds the answer until the consumer applies the awaited version, woken by its notification', async () => {
    const started = Date.now();
    const pending = get(`/portfolio?waitFor=${encodeURIComponent(`${stream}@2`)}&waitTimeoutMs=8000`).then((r) => r);
    await new Promise((r) => setTimeout(r, 700));
    const appliedAt = Date.now();
    await consume(advanced);
    const res = await pending;
    expect(res.status).toBe(200);
    expect(res.body.items).toMatchObject([{ projectId: erp.projectId, status: 'executing' }]);
    // Woken by the NOTIFY (the fallback poll would come only after 20 s): well before the 8 s, soon after the apply.
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(Date.now() - appliedAt).toBeLessThan(2_000);
  });

  it('answers 409 READ_MODEL_BEHIND with the applied version and Retry-After when the version is not reached in time', async () => {
    const started = Date.now();
    const res = await get(`/projects/${erp.projectId}?waitFor=${encodeURIComponent(`${stream}@9`)},${encodeURIComponent(`project:${tenant}:${randomUUID()}@1`)}&waitTimeoutMs=600`);
    const took = Date.now() - started;
    expect(res.status).toBe(409);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.headers['retry-after']).toBe('1');
    expect(res.body).toMatchObject({
      code: 'READ_MODEL_BEHIND',
      details: { waitedMs: 600, behind: [{ streamId: stream, version: 9, appliedVersion: 2 }, { version: 1, appliedVersion: null }] },
    });
    expect(took).toBeGreaterThanOrEqual(550);
    expect(took).toBeLessThan(3_000);
    // waitTimeoutMs=0: a check without waiting.
    expect((await get(`/portfolio?waitFor=${encodeURIComponent(`${stream}@3`)}&waitTimeoutMs=0`).expect(409)).body.details.waitedMs).toBe(0);
  });

  it("refuses to wait on another tenant's stream, saying nothing about it", async () => {
    const other = new PortfolioEventsOf(`${tenant}-other`);
    await consume(other.created('2026-03-01T09:00:00.000Z', 'Theirs'));
    for (const id of [`project:${tenant}-other:${other.projectId}@1`, `project:${tenant}-other:${other.projectId}@99`, `project:x${tenant}:${other.projectId}@1`]) {
      const res = await get(`/portfolio?waitFor=${encodeURIComponent(id)}`).expect(403);
      expect(res.body).toMatchObject({ code: 'WAIT_FOR_OTHER_TENANT', errors: [{ path: '/waitFor/0' }] });
      expect(JSON.stringify(res.body)).not.toContain('appliedVersion');
    }
  });

  it('caps the waits a tenant holds open at once: the next is 429 TOO_MANY_WAITS', async () => {
    const wait = () => get(`/portfolio?waitFor=${encodeURIComponent(`${stream}@50`)}&waitTimeoutMs=1500`).then((r) => r);
    const held = Array.from({ length: MAX_WAITS_PER_TENANT }, wait);
    await new Promise((r) => setTimeout(r, 300));
    const refused = await wait();
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ code: 'TOO_MANY_WAITS' });
    expect(refused.headers['retry-after']).toBe('1');
    expect((await Promise.all(held)).map((r) => r.status)).toEqual(Array(MAX_WAITS_PER_TENANT).fill(409));
    // Released when they answered: the next wait is admitted again (and answers at once, version 2 is applied).
    await get(`/portfolio?waitFor=${encodeURIComponent(`${stream}@2`)}`).expect(200);
  });

  it.each([
    ['no version', `waitFor=${encodeURIComponent(stream)}`],
    ['version 0', `waitFor=${encodeURIComponent(`${stream}@0`)}`],
    ['a huge version', `waitFor=${encodeURIComponent(`${stream}@99999999999`)}`],
    ['constructor', 'waitFor=constructor'],
    ['__proto__', 'waitFor=__proto__%401'],
    ['a NUL', `waitFor=${encodeURIComponent(`project:${tenant}:a`)}%00%401`],
    ['a lone surrogate', `waitFor=project%3A${tenant}%3A%ED%A0%80%401`],
    ['six streams', `waitFor=${Array.from({ length: 6 }, (_, i) => encodeURIComponent(`project:${tenant}:${i}@1`)).join(',')}`],
    ['six repeated', Array.from({ length: 6 }, (_, i) => `waitFor=${encodeURIComponent(`project:${tenant}:${i}@1`)}`).join('&')],
    ['an empty one', 'waitFor='],
    ['a long one', `waitFor=project%3A${tenant}%3A${'a'.repeat(5000)}%401`],
    ['a timeout above 10 s', `waitFor=${encodeURIComponent(`${stream}@1`)}&waitTimeoutMs=10001`],
    ['a negative timeout', `waitFor=${encodeURIComponent(`${stream}@1`)}&waitTimeoutMs=-1`],
    ['a fractional timeout', `waitFor=${encodeURIComponent(`${stream}@1`)}&waitTimeoutMs=1.5`],
  ])('refuses %s with a 400 problem', async (_what, query) => {
    for (const path of ['/portfolio', `/projects/${erp.projectId}`]) {
      const res = await get(`${path}?${query}`);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
  });
});
