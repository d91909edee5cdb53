/**
 * Proof "every read model equals a fresh rebuild from the log", after the load settled: reporting's read models are
 * rebuilt blue/green from offset 0 of the topics (ADR 0504) and compared with the live tables just before the swap;
 * one store-fed projection per write service is replayed from position 0 of its event store into a scratch schema
 * (the service's migrations run there, so every table the projection touches exists) and compared with the live one.
 * Rows are compared as multisets of text (EXCEPT ALL both ways) over `comparedColumns` (what, not when).
 */
import { Kafka, logLevel } from 'kafkajs';
import type { Pool, PoolClient } from 'pg';
import type { MigrationInterface } from 'typeorm';
import { NOTIFICATION_MIGRATIONS, CommentsProjection } from '@pm/notification/data-access';
import { PLANNING_MIGRATIONS, ScheduleRowsProjection } from '@pm/planning/data-access';
import { PgEventStore, createPgPool, runMigrations } from '@pm/platform/event-store';
import { LaneProjectionRunner, StoreProjectionRunner, urlWithSearchPath } from '@pm/platform/projections';
import type { Projection } from '@pm/platform/projections';
import { baseTables, comparedColumns, quoteIdent } from '@pm/platform/testing';
import { REPORTING_MIGRATIONS } from '@pm/reporting/data-access';
import { REPORTING_KEPT_AT_SWAP, REPORTING_NEXT_SCHEMA, rebuildReporting } from '@pm/reporting/feature';
import { RESOURCE_MIGRATIONS, ResourcePoolProjection } from '@pm/resource/data-access';
import { RISK_MIGRATIONS, RiskRegisterProjection, withExposureMarks } from '@pm/risk/data-access';
import type { FaultKafka, FaultPostgres } from './infra';
import { DB_OF, log, sleep } from './config';
import type { Ctx, Row } from './config';

const SCRATCH = 'faults_rebuild';

interface TableDiff {
  table: string;
  live: number;
  rebuilt: number;
  /** Rows in one and not the other, both ways. */
  differ: number;
}

async function diffTable(c: Pick<Pool, 'query'>, live: string, rebuilt: string, table: string): Promise<TableDiff> {
  const q = quoteIdent;
  const cols = (await comparedColumns(c, live, table)).map((n) => `${q(n)}::text`).join(', ');
  const a = `${q(live)}.${q(table)}`;
  const b = `${q(rebuilt)}.${q(table)}`;
  const r = await c.query<{ live: string; rebuilt: string; differ: string }>(
    `SELECT (SELECT count(*) FROM ${a})::text AS live, (SELECT count(*) FROM ${b})::text AS rebuilt,
            ((SELECT count(*) FROM (SELECT ${cols} FROM ${a} EXCEPT ALL SELECT ${cols} FROM ${b}) x)
           + (SELECT count(*) FROM (SELECT ${cols} FROM ${b} EXCEPT ALL SELECT ${cols} FROM ${a}) y))::text AS differ`,
  );
  return { table, live: Number(r.rows[0].live), rebuilt: Number(r.rows[0].rebuilt), differ: Number(r.rows[0].differ) };
}

function rowOf(check: string, diffs: readonly TableDiff[], note = ''): Row {
  const bad = diffs.reduce((s, d) => s + d.differ, 0);
  const rows = diffs.reduce((s, d) => s + d.live, 0);
  const differing = diffs.filter((d) => d.differ > 0).map((d) => `${d.table} ${d.live}/${d.rebuilt} rows, ${d.differ} differ`);
  return { check, count: rows, bad, detail: `${diffs.length} tables${note}${differing.length ? `; ${differing.join('; ')}` : ''}` };
}

/** The tables a projection owns: the ones its reset truncates. */
async function tablesOf(projection: Resettable): Promise<string[]> {
  const sql: string[] = [];
  await projection.reset({ query: async (text: string) => void sql.push(text) } as unknown as PoolClient);
  const tables = sql.flatMap((s) => /^\s*TRUNCATE\s+(.+)$/i.exec(s)?.[1].split(',').map((t) => t.trim()) ?? []);
  if (!tables.length) throw new Error(`${projection.name}: reset truncates no table (${sql.join('; ')})`);
  return tables;
}

type Resettable = Pick<Projection, 'name' | 'reset'>;

interface StoreFed {
  readonly projection: Resettable;
  readonly migrations: Array<new () => MigrationInterface>;
  readonly rebuild: (pool: Pool, store: PgEventStore) => Promise<number>;
}

function storeFed(ctx: Ctx, store: PgEventStore): StoreFed {
  switch (ctx) {
    case 'planning': {
      const projection = new ScheduleRowsProjection(store);
      return { projection, migrations: PLANNING_MIGRATIONS, rebuild: (pool, s) => new LaneProjectionRunner({ projection, context: ctx, pool, store: s, wakeOnAppend: false }).rebuild() };
    }
    case 'resource':
      return withRunner(ctx, new ResourcePoolProjection(), RESOURCE_MIGRATIONS);
    case 'risk':
      return withRunner(ctx, withExposureMarks(new RiskRegisterProjection()), RISK_MIGRATIONS);
    case 'notification':
      return withRunner(ctx, new CommentsProjection(), NOTIFICATION_MIGRATIONS);
  }
}

function withRunner(ctx: Ctx, projection: Projection, migrations: Array<new () => MigrationInterface>): StoreFed {
  return { projection, migrations, rebuild: (pool, store) => new StoreProjectionRunner({ projection, context: ctx, pool, store, wakeOnAppend: false }).rebuild() };
}

/** Replays one store-fed projection of `ctx` from position 0 into the scratch schema and compares it with the live one. */
async function compareStoreProjection(pg: FaultPostgres, ctx: Ctx): Promise<Row> {
  const url = pg.serverUrl(DB_OF[ctx]);
  const livePool = createPgPool(url, { statement_timeout: 0 });
  const scratchUrl = urlWithSearchPath(url, SCRATCH);
  try {
    await livePool.query(`DROP SCHEMA IF EXISTS ${SCRATCH} CASCADE; CREATE SCHEMA ${SCRATCH}`);
    const store = new PgEventStore(livePool, { notifyAppends: false });
    const fed = storeFed(ctx, store);
    await runMigrations(scratchUrl, fed.migrations);
    const scratchPool = createPgPool(scratchUrl, { statement_timeout: 0 });
    try {
      const events = await fed.rebuild(scratchPool, store);
      const tables = await tablesOf(fed.projection);
      // The live runner may still be a batch behind the store when the topics settled: a few tries before a verdict.
      let diffs: TableDiff[] = [];
      for (let i = 0; i < 10; i++) {
        diffs = await Promise.all(tables.map((t) => diffTable(livePool, 'public', SCRATCH, t)));
        if (diffs.every((d) => d.differ === 0)) break;
        await sleep(1000);
      }
      return rowOf(`read model = rebuild: ${ctx} ${fed.projection.name}`, diffs, `, ${events} events replayed`);
    } finally {
      await scratchPool.end();
    }
  } finally {
    await livePool.query(`DROP SCHEMA IF EXISTS ${SCRATCH} CASCADE`).catch(() => undefined);
    await livePool.end();
  }
}

/** Reporting: the blue/green rebuild of ADR 0504, compared table by table with the live schema before its swap. */
async function compareReporting(pg: FaultPostgres, kafka: FaultKafka): Promise<Row> {
  const url = pg.serverUrl(DB_OF.reporting);
  const pool = createPgPool(url, { statement_timeout: 0, idle_in_transaction_session_timeout: 0 });
  const client = new Kafka({ clientId: 'faults-rebuild', brokers: [kafka.brokers], logLevel: logLevel.NOTHING });
  let diffs: TableDiff[] = [];
  try {
    await runMigrations(url, REPORTING_MIGRATIONS);
    const rebuilt = await rebuildReporting({
      kafka: client,
      pgUrl: url,
      pool,
      consumerGroupId: 'reporting-service',
      testHooks: {
        // The replay has passed the live group's committed offsets and the load is over: both models are complete.
        beforeSwitch: async () => {
          const tables = (await baseTables(pool, REPORTING_NEXT_SCHEMA)).filter((t) => t !== 'inbox' && !REPORTING_KEPT_AT_SWAP.includes(t));
          diffs = await Promise.all(tables.map((t) => diffTable(pool, 'public', REPORTING_NEXT_SCHEMA, t)));
        },
      },
    });
    return rowOf('read model = rebuild: reporting (blue/green)', diffs, `, ${rebuilt.events} events replayed, ${rebuilt.swapped.length} swapped in`);
  } finally {
    await pool.end();
  }
}

export async function proveRebuilds(pg: FaultPostgres, kafka: FaultKafka): Promise<Row[]> {
  const rows: Row[] = [];
  const started = Date.now();
  rows.push(await compareReporting(pg, kafka));
  for (const ctx of ['planning', 'resource', 'risk', 'notification'] as const) rows.push(await compareStoreProjection(pg, ctx));
  log(`rebuild comparison took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return rows;
}
