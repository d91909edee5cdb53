import { randomUUID } from 'node:crypto';
import type { Kafka, KafkaMessage } from 'kafkajs';
import type { Pool } from 'pg';
import { parseCloudEvent } from './cloud-event.mapper';

/**
 * Reads every message `topic` holds now, from offset 0 up to the high watermarks taken at the start, with a
 * throwaway consumer group (deleted after). Resolves when every partition is read, rejects after `timeoutMs`.
 */
export async function readTopicToEnd(kafka: Kafka, topic: string, onMessage: (partition: number, message: KafkaMessage) => void, timeoutMs = 120_000): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `read-to-end.${randomUUID()}`;
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    const pending = new Map(offsets.filter((o) => Number(o.high) > Number(o.low)).map((o) => [o.partition, Number(o.high)]));
    if (!pending.size) return;
    const consumer = kafka.consumer({ groupId });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      let done!: () => void;
      const finished = new Promise<void>((resolve) => (done = resolve));
      await consumer.run({
        eachMessage: async ({ partition, message }) => {
          const high = pending.get(partition);
          if (high === undefined) return;
          onMessage(partition, message);
          if (Number(message.offset) + 1 >= high) pending.delete(partition);
          if (!pending.size) done();
        },
      });
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${topic}: not read to its end within ${timeoutMs} ms`)), timeoutMs)));
      await Promise.race([finished, late]).finally(() => clearTimeout(timer));
    } finally {
      await consumer.disconnect();
    }
    await admin.deleteGroups([groupId]).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
}

export interface MissingEvent {
  readonly id: string;
  readonly type: string;
  readonly subject: string;
  readonly streamVersion: number;
  readonly partition: number;
  readonly offset: string;
}

export interface StoreGap {
  /** Distinct events on the topic. */
  readonly onTopic: number;
  /** Published (others may have consumed them) but not in the store: what a point-in-time restore lost. */
  readonly missing: readonly MissingEvent[];
  /** Messages that are not CloudEvents (poison); not counted either way. */
  readonly unreadable: number;
}

/**
 * After a point-in-time restore of an event store (docs/runbook.md, ADR 0016): every event its topic holds that the
 * store lacks, in topic order. Until this is empty the service must not take commands, or a new event would take the
 * (stream, version) of one that other services already applied.
 */
export async function findStoreGap(kafka: Kafka, topic: string, pool: Pick<Pool, 'query'>): Promise<StoreGap> {
  const seen = new Map<string, MissingEvent>();
  let unreadable = 0;
  await readTopicToEnd(kafka, topic, (partition, message) => {
    try {
      const e = parseCloudEvent(message.value);
      if (!seen.has(e.id)) seen.set(e.id, { id: e.id, type: e.type, subject: e.subject, streamVersion: e.streamversion, partition, offset: message.offset });
    } catch {
      unreadable++;
    }
  });
  const ids = [...seen.keys()];
  const present = new Set<string>();
  for (let i = 0; i < ids.length; i += 10_000) {
    const r = await pool.query<{ id: string }>('SELECT event_id::text AS id FROM es_events WHERE event_id = ANY($1::uuid[])', [ids.slice(i, i + 10_000)]);
    for (const row of r.rows) present.add(row.id);
  }
  return { onTopic: seen.size, missing: [...seen.values()].filter((e) => !present.has(e.id)), unreadable };
}
