import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Kafka, Producer } from 'kafkajs';
import type { Pool } from 'pg';
import { createPgPool, runMigrations } from '@pm/platform/event-store';
import { createKafka } from '@pm/platform/messaging';
import { rewindGroupToInbox } from '@pm/platform/projections';
import { baseTables, createTestDatabase, tableRows, waitFor } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { PortfolioEventsOf, REPORTING_MIGRATIONS } from '@pm/reporting/data-access';
import { PortfolioProjectionsConsumer } from './portfolio-projections.consumer';
import { historyMessage, projectHistory, publishHistory } from './rebuild-history';
import type { HistoryMessage, HistoryTopics } from './rebuild-history';

const TENANT = 'tenant-restore';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The machine's client tools of the server's own major version (pg_dump refuses a newer server; docs/runbook.md). */
function pgTool(name: 'pg_dump' | 'pg_restore', serverMajor: number): string {
  const candidates = [`/usr/lib/postgresql/${serverMajor}/bin/${name}`, name];
  for (const c of candidates) {
    try {
      const version = execFileSync(c, ['--version'], { encoding: 'utf8' });
      if (new RegExp(`\\) ${serverMajor}\\.`).test(version)) return c;
    } catch {
      /* not there */
    }
  }
  throw new Error(`no ${name} of PostgreSQL ${serverMajor} on this machine (the server at PG_URL must be the machine's PostgreSQL, whose tools are installed)`);
}

/** Every table of the database, row by row over the columns that say what (not when): equal maps, equal states. */
async function stateOf(pool: Pool): Promise<Map<string, string[]>> {
  const tables = (await baseTables(pool)).filter((t) => t !== 'typeorm_migrations');
  return new Map(await Promise.all(tables.map(async (t) => [t, await tableRows(pool, t)] as const)));
}

describe('Restoring the reporting database from a pg_dump taken mid-load (machine PostgreSQL and its tools, real Kafka)', () => {
  let lost: TestDatabase;
  let restored: TestDatabase;
  let lostPool: Pool;
  let restoredPool: Pool;
  let kafka: Kafka;
  let producer: Producer;
  const dumpFile = path.join(os.tmpdir(), `reporting-restore-${randomBytes(4).toString('hex')}.dump`);
  const groupId = `reporting-restore-spec-${randomBytes(4).toString('hex')}`;
  const base = `test.reporting-restore.${randomBytes(4).toString('hex')}`;
  const topics: HistoryTopics = { planning: `${base}.planning`, risk: `${base}.risk` };
  const published: HistoryMessage[] = [];
  const consumerOn = (pool: Pool) => new PortfolioProjectionsConsumer(kafka, pool, { consumerGroupId: groupId, topics: [topics.planning, topics.risk] });
  const applied = async (pool: Pool) => (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM inbox WHERE consumer = $1', [groupId])).rows[0].n;
  const publish = async (messages: HistoryMessage[]) => {
    await publishHistory(producer, messages);
    published.push(...messages);
  };

  beforeAll(async () => {
    lost = await createTestDatabase('reporting_restore_lost');
    restored = await createTestDatabase('reporting_restore_restored');
    await runMigrations(lost.url, REPORTING_MIGRATIONS);
    lostPool = createPgPool(lost.url);
    restoredPool = createPgPool(restored.url);
    kafka = createKafka('reporting-restore-spec');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: topics.planning, numPartitions: 3 }, { topic: topics.risk, numPartitions: 2 }] });
    await admin.disconnect();
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
  }, 60_000);

  afterAll(async () => {
    fs.rmSync(dumpFile, { force: true });
    await producer?.disconnect();
    await lostPool?.end();
    await restoredPool?.end();
    await lost?.drop();
    await restored?.drop();
  });

  it('a restored backup rewinds its consumer group to its inbox and catches up from Kafka to the state of the database it replaces', async () => {
    const major = Math.floor(Number((await lostPool.query<{ v: string }>("SELECT current_setting('server_version_num') AS v")).rows[0].v) / 10_000);
    const pgDump = pgTool('pg_dump', major);
    const pgRestore = pgTool('pg_restore', major);
    const projects = Array.from({ length: 30 }, () => new PortfolioEventsOf(TENANT));
    const live = consumerOn(lostPool);
    await live.onApplicationBootstrap();
    try {
      await publish(projects.slice(0, 10).flatMap((p, i) => projectHistory(topics, p, i, 2)));
      await waitFor(async () => (await applied(lostPool)) === published.length, { what: 'the first wave applied' });
      // The load goes on while the backup is taken: new projects a few at a time, then renames of the earliest ones.
      const load = (async () => {
        for (let i = 10; i < 30; i += 2) {
          await publish(projects.slice(i, i + 2).flatMap((p, j) => projectHistory(topics, p, i + j, 2)));
          await sleep(150);
        }
        for (let i = 0; i < 10; i++) await publish([historyMessage(topics, projects[i].renamed(new Date(Date.UTC(2026, 6, 1, i)).toISOString(), `After the backup ${i}`))]);
      })();
      await waitFor(async () => (await applied(lostPool)) > 14 * 14 && published.length < 30 * 14, { what: 'the load half-way', intervalMs: 20 });
      execFileSync(pgDump, ['--format=custom', `--file=${dumpFile}`, `--dbname=${lost.url}`], { stdio: ['ignore', 'ignore', 'pipe'] });
      await load;
      await waitFor(async () => (await applied(lostPool)) === published.length, { what: 'the live database applied everything' });
    } finally {
      // The database is lost: its consumer goes with it (and Kafka moves no offsets of a group with live members).
      await live.beforeApplicationShutdown();
    }
    const expected = await stateOf(lostPool);

    execFileSync(pgRestore, ['--no-owner', '--no-privileges', '--exit-on-error', `--dbname=${restored.url}`, dumpFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    const atBackup = await applied(restoredPool);
    expect(atBackup).toBeGreaterThan(10 * 14);
    expect(atBackup).toBeLessThan(published.length);
    expect(await stateOf(restoredPool)).not.toEqual(expected);

    const admin = kafka.admin();
    await admin.connect();
    try {
      const positions = await rewindGroupToInbox(admin, restoredPool, groupId, [topics.planning, topics.risk]);
      // The group had consumed everything; the restored inbox sends it back to where the backup was taken.
      expect(positions.some((p) => BigInt(p.offset) < BigInt(p.before))).toBe(true);
    } finally {
      await admin.disconnect();
    }
    const replacement = consumerOn(restoredPool);
    await replacement.onApplicationBootstrap();
    try {
      await waitFor(async () => (await applied(restoredPool)) === published.length, { what: 'the restored database caught up from Kafka', timeoutMs: 60_000 });
      expect(await stateOf(restoredPool)).toEqual(expected);
    } finally {
      await replacement.beforeApplicationShutdown();
    }
  }, 180_000);
});
