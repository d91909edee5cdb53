import { randomBytes } from 'node:crypto';
import type { Admin, Kafka } from 'kafkajs';
import type { Pool, PoolClient } from 'pg';
import type { MigrationInterface } from 'typeorm';
import { createPgPool, runMigrations } from '@pm/platform/event-store';
import { EventConsumer } from '@pm/platform/messaging';
import type { MessagingLogger } from '@pm/platform/messaging';
import { SettledOffsets, appliedTargets, committedTargets, furthest, highWatermarks } from './partition-progress';
import type { PartitionTargets } from './partition-progress';
import type { ProgressListener, Projection } from './projection.types';
import { batchedApply } from './batched-apply';
import { holdRebuildLock } from './rebuild-lock';
import { dropSchemas, liveSchemaOf, prepareNextSchema, swapSchemas, urlWithSearchPath } from './schema-swap';

export interface BlueGreenRebuildOptions {
  readonly kafka: Kafka;
  /** The service database; the live pool resolves its read models in its current schema. */
  readonly pgUrl: string;
  readonly pool: Pool;
  readonly topics: readonly string[];
  /** Every read model the live consumer applies (it guards each with guardAgainstRebuild): all are rebuilt together. */
  readonly projections: readonly Projection[];
  /** The service's migrations: run into the empty next schema, they create whatever tables the read models have today. */
  readonly migrations: Array<new () => MigrationInterface>;
  /** The live consumer group, also its inbox name. */
  readonly liveGroupId: string;
  readonly dlqTopic: string;
  readonly nextSchema?: string;
  readonly retiredSchema?: string;
  readonly onProgress?: ProgressListener;
  readonly logger?: MessagingLogger;
  /** Stops the run where it is (as a kill would): the live model stays, the next run starts clean. */
  readonly signal?: AbortSignal;
  /**
   * Tables the swap leaves in place (default TABLES_KEPT_AT_SWAP): besides positions, any table of the migrations that
   * the replayed projections do not fill (rows written by commands, or by the live consumer beside the projections).
   */
  readonly kept?: readonly string[];
  /** How long the switch waits, live updates paused, for the rebuild to apply the last gap before retrying (default 30 s). */
  readonly gapTimeoutMs?: number;
  /** Test seam: after the replay caught up with the live consumer's committed offsets, before live updates pause. */
  readonly testHooks?: { readonly beforeSwitch?: () => Promise<void> };
}

export interface BlueGreenRebuildResult {
  /** Messages the rebuild settled, of which `events` were in the topics when it started. */
  readonly settled: number;
  readonly events: number;
  /** Seconds from the first fetch until the history present at the start was applied: what the rate is measured on. */
  readonly replaySeconds: number;
  readonly swapped: readonly string[];
}

/**
 * Rebuilds Kafka-fed read models into a fresh schema while the live ones keep answering (ADR 0504): the service's
 * migrations create every table in `nextSchema`, a consumer of its own replays the topics from offset 0 into it (its
 * connections' search_path is that schema, so projections need no change), and once it has caught up with the live
 * consumer, live updates pause (the read models' advisory locks), the last gap is applied, and the relations swap
 * schemas in one transaction. Killed at any point before that COMMIT, the live schema is as it was.
 */
export async function rebuildBlueGreen(options: BlueGreenRebuildOptions): Promise<BlueGreenRebuildResult> {
  const next = options.nextSchema ?? 'rebuild_next';
  const retired = options.retiredSchema ?? 'rebuild_retired';
  const live = await liveSchemaOf(options.pool);
  const job = await options.pool.connect();
  job.on('error', () => undefined);
  try {
    const got = await job.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [`blue-green:${next}`]);
    if (!got.rows[0].ok) throw new Error(`Another rebuild into schema ${next} is running`);
    try {
      await prepareNextSchema(options.pool, next, retired);
      const nextUrl = urlWithSearchPath(options.pgUrl, next);
      await runMigrations(nextUrl, options.migrations);
      // Long statements are expected here (a big batch); the service pools' timeouts do not apply to a rebuild.
      const nextPool = createPgPool(nextUrl, { statement_timeout: 0, idle_in_transaction_session_timeout: 0 });
      try {
        return await replayAndSwap(options, nextPool, { live, next, retired });
      } finally {
        await nextPool.end();
      }
    } finally {
      await job.query('SELECT pg_advisory_unlock(hashtext($1))', [`blue-green:${next}`]).catch(() => undefined);
    }
  } finally {
    job.release();
  }
}

/** Each attempt pauses live updates for up to gapTimeoutMs; after this many the run gives up (live tables untouched). */
const MAX_SWITCH_ATTEMPTS = 5;

interface Schemas {
  readonly live: string;
  readonly next: string;
  readonly retired: string;
}

/** The replayed tables' planner statistics, taken before live reads move to them (ADR 0020). */
async function analyzeSchema(pool: Pool, schema: string): Promise<void> {
  const { rows } = await pool.query<{ name: string }>(`SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables WHERE schemaname = $1`, [schema]);
  for (const { name } of rows) await pool.query(`ANALYZE ${name}`);
}

async function replayAndSwap(options: BlueGreenRebuildOptions, nextPool: Pool, schemas: Schemas): Promise<BlueGreenRebuildResult> {
  const { kafka, topics, signal } = options;
  const admin = kafka.admin();
  await admin.connect();
  const settled = new SettledOffsets();
  const groupId = `${options.liveGroupId}.rebuild.${randomBytes(4).toString('hex')}`;
  let consumer: EventConsumer | undefined;
  try {
    const start = await highWatermarks(admin, topics);
    options.onProgress?.(0, start.total);
    consumer = replayConsumer(options, nextPool, groupId, settled, start.total);
    const started = Date.now();
    await consumer.start();
    await waitOrThrow(settled, start.targets, Infinity, signal);
    const replaySeconds = (Date.now() - started) / 1000;
    await analyzeSchema(nextPool, schemas.next);
    const swapped = await switchOver(options, admin, settled, consumer, schemas);
    consumer = undefined;
    await dropSchemas(options.pool, schemas.retired, schemas.next);
    return { settled: settled.count, events: start.total, replaySeconds, swapped };
  } finally {
    await consumer?.stop().catch(() => undefined);
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}

function replayConsumer(options: BlueGreenRebuildOptions, nextPool: Pool, groupId: string, settled: SettledOffsets, total: number): EventConsumer {
  const { kafka, projections } = options;
  return new EventConsumer({
    kafka,
    groupId,
    inboxName: options.liveGroupId,
    topics: options.topics,
    pool: nextPool,
    dlqTopic: options.dlqTopic,
    dlqProducer: kafka.producer(),
    fromBeginning: true,
    logger: options.logger,
    metrics: false,
    traceMessages: false,
    // A replay has no reader waiting for each message: bigger transactions, fewer round trips.
    batchSize: 2000,
    maxBatchMs: 1000,
    // Partitions hold different streams, whose rows no other partition touches: their transactions run side by side.
    partitionsConsumedConcurrently: 4,
    // The next fetch runs while batches are applied: kafkajs alone would wait for every batch of a fetch first.
    readAhead: 2,
    ...batchedApply(projections),
    onSettled: (topic, partition, offset) => {
      settled.settle(topic, partition, offset);
      options.onProgress?.(Math.min(settled.count, total), Math.max(total, settled.count));
    },
  });
}

/**
 * Catches up with what the live consumer committed, then pauses live updates (every read model's lock, exclusive),
 * applies the last gap (up to the furthest of its committed offsets and its inbox) and swaps. If the gap is not
 * applied in time, live updates resume and it tries again.
 */
async function switchOver(
  options: BlueGreenRebuildOptions,
  admin: Admin,
  settled: SettledOffsets,
  consumer: EventConsumer,
  schemas: Schemas,
): Promise<string[]> {
  const { pool, topics, liveGroupId, signal } = options;
  for (let attempt = 1; ; attempt++) {
    await waitOrThrow(settled, await committedTargets(admin, liveGroupId, topics), Infinity, signal);
    await options.testHooks?.beforeSwitch?.();
    const locks = await pool.connect();
    locks.on('error', () => undefined);
    const releases: Array<() => Promise<void>> = [];
    try {
      for (const name of [...new Set(options.projections.map((p) => p.name))].sort()) releases.push(await holdRebuildLock(locks, name));
      const gap = furthest(await committedTargets(admin, liveGroupId, topics), await appliedTargets(pool, liveGroupId, topics));
      if (await waitOrThrow(settled, gap, options.gapTimeoutMs ?? 30_000, signal)) {
        // Whatever the replay applies past the gap is in the new inbox too, so live consumption skips it after.
        await consumer.stop();
        return await swapWith(pool, schemas, liveGroupId, options.kept);
      }
      if (attempt >= MAX_SWITCH_ATTEMPTS) throw new Error(`The rebuild did not apply the last gap within ${attempt} attempts; the live tables are unchanged`);
      options.logger?.warn({ attempt }, 'rebuild did not apply the last gap in time; live updates resume, trying again');
    } finally {
      for (const release of releases.reverse()) await release().catch(() => undefined);
      locks.release();
    }
  }
}

async function swapWith(pool: Pool, schemas: Schemas, inboxName: string, kept?: readonly string[]): Promise<string[]> {
  const tx: PoolClient = await pool.connect();
  try {
    return await swapSchemas(tx, { ...schemas, inboxName, kept });
  } finally {
    tx.release();
  }
}

async function waitOrThrow(settled: SettledOffsets, targets: PartitionTargets, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
  signal?.throwIfAborted();
  return settled.waitFor(targets, timeoutMs, signal);
}
