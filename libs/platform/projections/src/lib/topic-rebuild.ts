import type { Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import { randomBytes } from 'node:crypto';
import { EventConsumer } from '@pm/platform/messaging';
import type { MessagingLogger } from '@pm/platform/messaging';
import type { ProgressListener, Projection } from './projection.types';
import { projectionEventsOf } from './projection-events';
import { holdRebuildLock } from './rebuild-lock';
import { highWatermarks } from './partition-progress';

export interface TopicRebuildOptions {
  readonly kafka: Kafka;
  readonly pool: Pool;
  readonly topics: readonly string[];
  readonly projection: Projection;
  /** The inbox name the live consumer uses for this read model; its rows are rebuilt with the model. */
  readonly inboxName: string;
  readonly dlqTopic: string;
  readonly onProgress?: ProgressListener;
  readonly logger?: MessagingLogger;
}

/**
 * Rebuilds a Kafka-fed read model from offset zero. Event topics keep everything (retention.ms=-1), so the
 * topics are the full history. The model and its inbox rows are emptied in one transaction, then every message
 * up to the high watermark taken at the start is applied through the same inbox path as live consumption.
 * Live consumers that call guardAgainstRebuild wait while the rebuild holds the read model's lock, then skip,
 * whatever their offsets, what the rebuild already applied.
 */
export async function rebuildFromTopics(options: TopicRebuildOptions): Promise<number> {
  const lockSession = await options.pool.connect();
  lockSession.on('error', () => undefined);
  // Live consumers of this read model pause (guardAgainstRebuild) until the rebuild is complete.
  const release = await holdRebuildLock(lockSession, options.projection.name);
  try {
    return await rebuildLocked(options);
  } finally {
    await release().catch(() => undefined);
    lockSession.release();
  }
}

async function rebuildLocked(options: TopicRebuildOptions): Promise<number> {
  const { kafka, pool, topics, projection } = options;
  const admin = kafka.admin();
  await admin.connect();
  let remaining: Map<string, bigint>;
  let total: number;
  try {
    ({ targets: remaining, total } = await highWatermarks(admin, topics));
  } finally {
    await admin.disconnect();
  }

  const tx = await pool.connect();
  try {
    await tx.query('BEGIN');
    await projection.reset(tx);
    await tx.query('DELETE FROM inbox WHERE consumer = $1', [options.inboxName]);
    await tx.query('COMMIT');
  } catch (err) {
    await tx.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    tx.release();
  }
  if (total === 0) {
    options.onProgress?.(0, 0);
    return 0;
  }

  let done = 0;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const consumer = new EventConsumer({
    kafka,
    groupId: `${options.inboxName}.rebuild.${randomBytes(4).toString('hex')}`,
    inboxName: options.inboxName,
    topics,
    pool,
    dlqTopic: options.dlqTopic,
    dlqProducer: kafka.producer(),
    fromBeginning: true,
    logger: options.logger,
    metrics: false,
    traceMessages: false,
    handler: async (event, client) => {
      for (const pe of projectionEventsOf(event.envelope)) {
        if (projection.handles.includes(pe.type)) await projection.apply(pe, client);
      }
    },
    onSettled: (topic, partition, offset) => {
      done++;
      options.onProgress?.(Math.min(done, total), total);
      const key = `${topic}:${partition}`;
      const last = remaining.get(key);
      if (last !== undefined && BigInt(offset) >= last) remaining.delete(key);
      if (remaining.size === 0) finish();
    },
  });
  await consumer.start();
  await finished;
  await consumer.stop();
  return done;
}
