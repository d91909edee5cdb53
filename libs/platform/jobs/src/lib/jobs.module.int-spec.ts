import { Inject, Injectable, Module } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { TestingModule } from '@nestjs/testing';
import type { Pool } from 'pg';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { EventStoreModule, PG_POOL } from '@pm/platform/event-store';
import { DurableScheduler, SCHEDULER_MIGRATIONS, SchedulerModule } from '@pm/platform/scheduler';
import { createTestDatabase, waitFor } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { JobRunner } from './job-runner';
import { JobStore } from './job-store';
import { JOBS_MIGRATIONS } from './jobs.schema';
import { JobsModule } from './jobs.module';

class SpecPings1764100009999 implements MigrationInterface {
  name = 'SpecPings1764100009999';
  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE TABLE pings (key text)');
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE pings');
  }
}

/** How a feature module uses the two libs: handlers registered in onModuleInit, before the loops start. */
@Injectable()
class ReminderFeature implements OnModuleInit {
  constructor(
    @Inject(DurableScheduler) private readonly scheduler: DurableScheduler,
    @Inject(JobRunner) private readonly runner: JobRunner,
  ) {}
  onModuleInit(): void {
    this.scheduler.register('ping', async (ctx) => void (await ctx.tx.query('INSERT INTO pings (key) VALUES ($1)', [ctx.key])));
    this.runner.register('export', async (ctx) => {
      ctx.reportProgress({ done: 3, total: 3 });
      return { rows: 3 };
    });
  }
}

@Module({ providers: [ReminderFeature] })
class ReminderModule {}

describe('SchedulerModule and JobsModule in a Nest application (real PostgreSQL)', () => {
  let db: TestDatabase;
  let app: TestingModule;

  beforeAll(async () => {
    db = await createTestDatabase('jobs_module');
    app = await Test.createTestingModule({
      imports: [
        EventStoreModule.forRoot({ url: db.url, migrations: [...SCHEDULER_MIGRATIONS, ...JOBS_MIGRATIONS, SpecPings1764100009999], poolSize: 6 }),
        SchedulerModule.forRoot({ name: 'spec-service', pollIntervalMs: 60_000, metrics: false }),
        JobsModule.forRoot({ name: 'spec-service', runner: { pollIntervalMs: 60_000, metrics: false } }),
        ReminderModule,
      ],
    }).compile();
    await app.init();
  });
  afterAll(async () => {
    await app?.close();
    await db.drop();
  });

  it('fires scheduled items and runs jobs once the application has bootstrapped, and stops with it', async () => {
    const pool = app.get<Pool>(PG_POOL);
    await app.get(DurableScheduler).schedule({ tenantId: 't1', kind: 'ping', key: 'k1', dueAt: new Date(Date.now() + 100) });
    const job = await app.get(JobStore).submit({ tenantId: 't1', kind: 'export', concurrencyKey: 'portfolio', payload: null });
    // Both loops sleep for a minute: only the same-process wake-ups can start these in time.
    await waitFor(async () => (await pool.query('SELECT 1 FROM pings')).rowCount === 1, { timeoutMs: 5_000, what: 'the ping fired' });
    await waitFor(async () => (await app.get(JobStore).get('t1', job.id))?.state === 'succeeded', { timeoutMs: 5_000, what: 'the export ran' });
    expect(await app.get(JobStore).get('t1', job.id)).toMatchObject({ result: { rows: 3 }, progress: { done: 3, total: 3 } });
  });
});
