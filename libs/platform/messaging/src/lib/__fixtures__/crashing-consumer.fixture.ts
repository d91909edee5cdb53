// A consumer process that dies (SIGKILL, no cleanup) in the middle of its batches. Used by
// event-consumer.batch.int-spec.ts to prove that nothing is applied twice after a crash:
//   CONSUMER_CRASH=mid-transaction  inside the second transaction (at message CONSUMER_CRASH_AT): it rolls back;
//   CONSUMER_CRASH=after-commit     right after the first transaction committed, before its offsets are committed.
import { createPgPool } from '@pm/platform/event-store';
import { EventConsumer } from '../event-consumer';
import { createKafka } from '../kafka-client';

async function main(): Promise<void> {
  const mode = process.env.CONSUMER_CRASH;
  const pool = createPgPool(process.env.CONSUMER_DB_URL!);
  const kafka = createKafka('crashing-consumer');
  const die = () => process.kill(process.pid, 'SIGKILL');
  const consumer = new EventConsumer({
    kafka,
    groupId: process.env.CONSUMER_GROUP!,
    topics: [process.env.CONSUMER_TOPIC!],
    pool,
    dlqTopic: `${process.env.CONSUMER_TOPIC!}.dlq`,
    dlqProducer: kafka.producer(),
    batchSize: Number(process.env.CONSUMER_BATCH ?? 100),
    maxBatchMs: 60_000,
    sessionTimeoutMs: 6_000,
    metrics: false,
    handler: async (event, tx) => {
      await tx.query(
        'INSERT INTO applied (name, event_id, times) VALUES ($1, $2, 1) ON CONFLICT (event_id) DO UPDATE SET times = applied.times + 1',
        [String(event.envelope.data.name), event.envelope.id],
      );
      if (mode === 'mid-transaction' && event.envelope.data.name === process.env.CONSUMER_CRASH_AT) die();
    },
    testHooks: { afterCommit: () => void (mode === 'after-commit' && die()) },
  });
  await consumer.start();
}

void main();
