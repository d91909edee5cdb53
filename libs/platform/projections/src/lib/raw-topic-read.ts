import { randomBytes } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { SettledOffsets, highWatermarks } from './partition-progress';

export interface RawReadResult {
  readonly events: number;
  /** Messages whose value parsed as a JSON object with an id (the rest are poison, counted in `events` too). */
  readonly envelopes: number;
  readonly seconds: number;
  readonly perSecond: number;
}

/**
 * The floor a rebuild is measured against: the same topics read from offset 0 by a plain kafkajs consumer that only
 * parses each value's JSON envelope (no schema, no database), up to the high watermarks of its start. Timed like
 * the rebuild's replay, from the consumer's start (connect and group join included) to the last message.
 */
export async function readTopicsRaw(kafka: Kafka, topics: readonly string[]): Promise<RawReadResult> {
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `raw-read.${randomBytes(4).toString('hex')}`;
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxBytesPerPartition: 1_048_576 });
  try {
    const { targets, total } = await highWatermarks(admin, topics);
    const settled = new SettledOffsets();
    let parsed = 0;
    const started = Date.now();
    await consumer.connect();
    await consumer.subscribe({ topics: [...topics], fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) {
          if (envelopeId(m.value) !== undefined) parsed++;
          settled.settle(batch.topic, batch.partition, m.offset);
        }
      },
    });
    await settled.waitFor(targets, Infinity);
    const seconds = (Date.now() - started) / 1000;
    return { events: total, envelopes: parsed, seconds, perSecond: total / seconds };
  } finally {
    await consumer.disconnect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}

function envelopeId(value: Buffer | null): unknown {
  if (!value) return undefined;
  try {
    return (JSON.parse(value.toString('utf8')) as { id?: unknown } | null)?.id;
  } catch {
    return undefined;
  }
}
