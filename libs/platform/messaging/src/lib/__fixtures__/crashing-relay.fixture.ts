// A relay process that dies (SIGKILL, no cleanup) right after Kafka acknowledged its first batch and
// before it stored the checkpoint. Used by event-relay.int-spec.ts and event-relay.batch.int-spec.ts to prove at-least-once + inbox dedupe.
import { PgEventStore, createPgPool } from '@pm/platform/event-store';
import { EventRelay } from '../event-relay';
import { createIdempotentProducer, createKafka } from '../kafka-client';

async function main(): Promise<void> {
  let requests = 0;
  const pool = createPgPool(process.env.RELAY_DB_URL!);
  const relay = new EventRelay({
    name: 'crash-test.relay',
    context: 'planning',
    topic: process.env.RELAY_TOPIC!,
    pool,
    store: new PgEventStore(pool),
    producer: createIdempotentProducer(createKafka('crashing-relay')),
    batchSize: Number(process.env.RELAY_BATCH ?? 500),
    onRequest: () => void requests++,
    afterPublish: (events) => {
      process.stdout.write(`published ${events.length} in ${requests} requests\n`);
      process.kill(process.pid, 'SIGKILL');
    },
  });
  await relay.start();
}

void main();
