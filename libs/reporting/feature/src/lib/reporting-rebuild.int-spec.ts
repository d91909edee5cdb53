import { randomBytes } from 'node:crypto';
import type { Kafka, Producer } from 'kafkajs';
import type { Pool } from 'pg';
import { dlqTopic } from '@pm/contracts';
import { createPgPool, runMigrations } from '@pm/platform/event-store';
import { EventConsumer, createKafka } from '@pm/platform/messaging';
import { guardAgainstRebuild, projectionEventsOf } from '@pm/platform/projections';
import { createTestDatabase, waitFor } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { PortfolioEventsOf, REPORTING_MIGRATIONS } from '@pm/reporting/data-access';
import { REPORTING_SERVICE, reportingProjections } from './portfolio-projections.consumer';
import { historyMessage, projectHistory, publishHistory } from './rebuild-history';
import type { HistoryMessage, HistoryTopics } from './rebuild-history';
import { REPORTING_NEXT_SCHEMA, rebuildReporting } from './reporting-rebuild';
import type { ReportingRebuildOptions } from './reporting-rebuild';

const TENANT = 'tenant-rebuild';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const PROJECTS = 24;

/** What the live model shows, read the way the API reads it (unqualified names, the service's pool). */
interface LiveRead {
  readonly summaries: number;
  readonly marked: number;
  readonly currentFacts: number;
}

describe('Reporting rebuild into new tables while the live ones answer (real PostgreSQL, real Kafka)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let kafka: Kafka;
  let producer: Producer;
  let live: EventConsumer;
  const groupId = `reporting-rebuild-spec-${randomBytes(4).toString('hex')}`;
  const base = `test.reporting-rebuild.${randomBytes(4).toString('hex')}`;
  const topics: HistoryTopics = { planning: `${base}.planning`, risk: `${base}.risk` };
  const projects = Array.from({ length: PROJECTS }, () => new PortfolioEventsOf(TENANT));
  const published: HistoryMessage[] = [];
  /** The last name published per project: what project_summaries must show. */
  const names = new Map<string, string>();
  let renames = 0;
  let holdOffsetsMs = 0;

  const publish = async (messages: HistoryMessage[]) => {
    await publishHistory(producer, messages);
    published.push(...messages);
  };
  const rename = async (p: PortfolioEventsOf) => {
    const name = `Rename ${++renames}`;
    names.set(p.projectId, name);
    await publish([historyMessage(topics, p.renamed(new Date(Date.UTC(2026, 5, 1, 0, renames)).toISOString(), name))]);
  };
  // One statement, so both counts come from one snapshot (the live consumer may commit between two).
  const read = async (): Promise<LiveRead> =>
    (
      await pool.query<LiveRead>(
        `SELECT (SELECT count(*)::int FROM project_summaries WHERE tenant_id = $1) AS summaries,
                (SELECT count(*)::int FROM project_summaries WHERE tenant_id = $1 AND description = 'old model') AS marked,
                (SELECT count(*)::int FROM portfolio_project_facts WHERE tenant_id = $1 AND valid_to = 'infinity') AS "currentFacts"`,
        [TENANT],
      )
    ).rows[0];
  /** Reads the live model every few ms until stopped; every answer is kept. */
  const reader = () => {
    const seen: LiveRead[] = [];
    const errors: unknown[] = [];
    let running = true;
    const done = (async () => {
      while (running) {
        await read().then((r) => seen.push(r), (e: unknown) => errors.push(e));
        await sleep(5);
      }
    })();
    return { seen, errors, stop: async () => ((running = false), await done) };
  };
  const liveApplied = async () =>
    (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM inbox WHERE consumer = $1', [groupId])).rows[0].n;
  const nextSchemaExists = async () =>
    (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = $1', [REPORTING_NEXT_SCHEMA])).rows[0].n === 1;
  /** Marks every live row, so a read can tell the old model (marked) from the rebuilt one (never marked). */
  const markOldModel = () => pool.query(`UPDATE project_summaries SET description = 'old model' WHERE tenant_id = $1`, [TENANT]);
  const rebuild = (options: Pick<ReportingRebuildOptions, 'signal' | 'onProgress' | 'testHooks'> = {}) =>
    rebuildReporting({ kafka, pgUrl: db.url, pool, consumerGroupId: groupId, topics: [topics.planning, topics.risk], ...options });

  beforeAll(async () => {
    db = await createTestDatabase('reporting_rebuild');
    await runMigrations(db.url, REPORTING_MIGRATIONS);
    pool = createPgPool(db.url);
    kafka = createKafka('reporting-rebuild-spec');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: topics.planning, numPartitions: 3 }, { topic: topics.risk, numPartitions: 2 }] });
    await admin.disconnect();
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await publish(projects.flatMap((p, i) => projectHistory(topics, p, i, 2)));
    for (const p of projects) names.set(p.projectId, `Renamed ${p.projectId.slice(0, 8)}`);
    const projections = reportingProjections();
    // The live consumer as PortfolioProjectionsConsumer runs it, on this spec's topics.
    live = new EventConsumer({
      kafka,
      groupId,
      topics: [topics.planning, topics.risk],
      pool,
      dlqTopic: dlqTopic(REPORTING_SERVICE),
      dlqProducer: kafka.producer(),
      metrics: false,
      // Kafka learns an applied offset only after this: holding it back opens the window the switch must cover.
      testHooks: { afterCommit: async () => void (holdOffsetsMs && (await sleep(holdOffsetsMs))) },
      handler: async (event, tx) => {
        for (const pe of projectionEventsOf(event.envelope)) {
          for (const p of projections) {
            if (!p.handles.includes(pe.type)) continue;
            await guardAgainstRebuild(tx, p.name);
            await p.apply(pe, tx);
          }
        }
      },
    });
    await live.start();
    await waitFor(async () => (await liveApplied()) === published.length, { what: 'the live consumer applied the history' });
    // Another consumer's inbox rows share the table: a swap must keep them.
    await pool.query(
      `INSERT INTO inbox (consumer, event_id, event_type, tenant_id, topic, kafka_partition, kafka_offset) VALUES ('other-consumer', gen_random_uuid(), 'x', $1, 't', 0, 0)`,
      [TENANT],
    );
  }, 120_000);

  afterAll(async () => {
    await live?.stop();
    await producer?.disconnect();
    await pool?.end();
    await db?.drop();
  });

  it('a rebuild killed half-way leaves the live tables as they were and live updates going; the next run starts clean', async () => {
    await markOldModel();
    const before = await read();
    expect(before).toEqual({ summaries: PROJECTS, marked: PROJECTS, currentFacts: PROJECTS });
    const kill = new AbortController();
    const result = rebuild({ signal: kill.signal, onProgress: (done) => done > 0 && kill.abort(new Error('killed mid-way')) });
    await expect(result).rejects.toThrow('killed mid-way');

    // Half-built tables are left where they were built, never in the live schema.
    const partial = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${REPORTING_NEXT_SCHEMA}.inbox`);
    expect(partial.rows[0].n).toBeGreaterThan(0);
    expect(partial.rows[0].n).toBeLessThan(published.length);
    expect(await read()).toEqual(before);
    await rename(projects[0]);
    await waitFor(async () => (await liveApplied()) === published.length, { what: 'a live update after the kill' });
    const renamed = await pool.query<{ name: string }>('SELECT name FROM project_summaries WHERE project_id = $1', [projects[0].projectId]);
    expect(renamed.rows[0].name).toBe(names.get(projects[0].projectId));
  }, 120_000);

  it('live reads answer from the complete old model during the rebuild and from the new one after the switch; no event lost or applied twice', async () => {
    await markOldModel();
    // Rows no replayed event writes: a tenant's RAG rules (a command) and an applied stream version (the live consumer).
    await pool.query(`INSERT INTO reporting_health_rules (tenant_id, revision, rules, set_by, valid_from) VALUES ($1, 1, '{}', 'spec', now())`, [TENANT]);
    await pool.query(`INSERT INTO reporting_stream_versions (tenant_id, stream_id, version) VALUES ($1, 'project:kept', 7)`, [TENANT]);
    const reads = reader();
    // Events keep arriving while the rebuild runs: renames of existing projects and new projects.
    let arriving: Promise<void> | undefined;
    const newcomers = [new PortfolioEventsOf(TENANT), new PortfolioEventsOf(TENANT)];
    const arrive = async () => {
      for (let i = 0; i < 10; i++) await rename(projects[i % PROJECTS]);
      await publish(newcomers.flatMap((p, i) => projectHistory(topics, p, 100 + i, 1)));
      for (const p of newcomers) names.set(p.projectId, `Renamed ${p.projectId.slice(0, 8)}`);
    };
    const result = await rebuild({ onProgress: (done) => void (done > 0 && (arriving ??= arrive())) });
    await arriving;
    await waitFor(async () => (await liveApplied()) === published.length, { what: 'every event applied once after the switch' });
    await reads.stop();

    expect(reads.errors).toEqual([]);
    // Before the switch every read saw the old model whole (all marked rows, plus newcomers the live consumer added),
    // after it the rebuilt one (never marked), whole too; never back.
    const firstNew = reads.seen.findIndex((r) => r.marked === 0);
    expect(firstNew).toBeGreaterThan(0);
    for (const r of reads.seen.slice(0, firstNew)) expect(r).toMatchObject({ marked: PROJECTS, currentFacts: r.summaries });
    for (const r of reads.seen.slice(firstNew)) {
      expect(r).toMatchObject({ marked: 0, currentFacts: r.summaries });
      expect(r.summaries).toBeGreaterThanOrEqual(PROJECTS);
    }
    expect(result.swapped).toEqual(expect.arrayContaining(['inbox', 'project_summaries', 'portfolio_project_facts', 'portfolio_risk_facts']));
    expect(result.swapped).not.toContain('typeorm_migrations');
    expect(result.swapped).not.toContain('reporting_health_rules');
    expect((await pool.query('SELECT revision FROM reporting_health_rules WHERE tenant_id = $1', [TENANT])).rows).toEqual([{ revision: 1 }]);
    expect((await pool.query(`SELECT version FROM reporting_stream_versions WHERE stream_id = 'project:kept'`)).rows).toEqual([{ version: 7 }]);
    expect(await nextSchemaExists()).toBe(false);

    // Every event once: one inbox row each, every project's stream at its last version, the last name of each.
    expect(await liveApplied()).toBe(published.length);
    const rows = await pool.query<{ project_id: string; name: string; stream_version: number }>(
      'SELECT project_id, name, stream_version FROM project_summaries WHERE tenant_id = $1',
      [TENANT],
    );
    expect(new Map(rows.rows.map((r) => [r.project_id, r.name]))).toEqual(names);
    const projectEvents = (id: string) => published.filter((m) => m.event.streamId === `project:${TENANT}:${id}`).length;
    for (const r of rows.rows) expect(r.stream_version).toBe(projectEvents(r.project_id));
    const facts = await pool.query<{ project_id: string; n: number }>(
      'SELECT project_id, count(*)::int AS n FROM portfolio_project_facts WHERE tenant_id = $1 GROUP BY project_id',
      [TENANT],
    );
    for (const f of facts.rows) expect(f.n).toBe(projectEvents(f.project_id));
    expect((await pool.query(`SELECT 1 FROM inbox WHERE consumer = 'other-consumer'`)).rowCount).toBe(1);

    // The live consumer goes on in the swapped tables.
    await rename(projects[3]);
    await waitFor(
      async () => (await pool.query<{ name: string }>('SELECT name FROM project_summaries WHERE project_id = $1', [projects[3].projectId])).rows[0].name === names.get(projects[3].projectId),
      { what: 'a live update after the switch' },
    );
  }, 180_000);

  it('events the live consumer applied but Kafka has not yet recorded as consumed are in the new model after the switch', async () => {
    const p = projects[5];
    const blocker = await pool.connect();
    // At the switch: the replay is stuck on a rename (its table is locked) and four more renames of the same stream
    // follow on the same partition; the live consumer has applied all five, its offsets not yet committed.
    const beforeSwitch = async () => {
      holdOffsetsMs = 2_000;
      await blocker.query('BEGIN');
      await blocker.query(`LOCK TABLE ${REPORTING_NEXT_SCHEMA}.inbox IN SHARE MODE`);
      await rename(p);
      await waitFor(
        async () =>
          (await pool.query(`SELECT 1 FROM pg_locks WHERE NOT granted AND relation = to_regclass('${REPORTING_NEXT_SCHEMA}.inbox')`)).rowCount === 1,
        { what: 'the replay waiting on its inbox' },
      );
      for (let i = 0; i < 4; i++) await rename(p);
      await waitFor(async () => (await liveApplied()) === published.length, { what: 'the live consumer applied the renames' });
      holdOffsetsMs = 0;
      setTimeout(() => void blocker.query('COMMIT').finally(() => blocker.release()), 1_000);
    };
    await rebuild({ testHooks: { beforeSwitch } });
    const row = await pool.query<{ name: string; stream_version: number }>('SELECT name, stream_version FROM project_summaries WHERE project_id = $1', [
      p.projectId,
    ]);
    expect(row.rows[0]).toEqual({ name: names.get(p.projectId), stream_version: published.filter((m) => m.event.streamId === `project:${TENANT}:${p.projectId}`).length });
    await waitFor(async () => (await liveApplied()) === published.length, { what: 'nothing applied twice or lost' });
    expect(await liveApplied()).toBe(published.length);
  }, 120_000);
});
