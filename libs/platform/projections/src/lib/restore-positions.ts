import type { Admin } from 'kafkajs';
import type { Pool } from 'pg';
import { appliedTargets } from './partition-progress';

export interface RestoredPosition {
  readonly topic: string;
  readonly partition: number;
  /** The next offset the group reads: one past the last the restored inbox applied, or the partition's start. */
  readonly offset: string;
  /** Where the group had committed before (`-1`: nothing), to show how far it was moved back. */
  readonly before: string;
}

/**
 * After a read-side database was restored from a backup (docs/runbook.md): the consumer group's committed offsets are
 * those of the lost database, ahead of what the restored one applied, and a consumer started on them would skip every
 * event in between. The restored inbox knows exactly what it applied, per partition (each partition is applied in
 * order, one transaction per batch, and the inbox row commits with the effect), so the group is set to one past the
 * last inbox offset of `consumer`, or to the partition's start where the inbox has none of it. Anything at or past
 * that offset the database already has is skipped by the inbox; nothing before it is missing.
 *
 * Kafka refuses to move the offsets of a group with live members: stop every instance of the consumer first.
 */
export async function rewindGroupToInbox(admin: Admin, pool: Pool, groupId: string, topics: readonly string[], consumer = groupId): Promise<RestoredPosition[]> {
  const applied = await appliedTargets(pool, consumer, topics);
  const committed = await admin.fetchOffsets({ groupId, topics: [...topics] });
  const positions: RestoredPosition[] = [];
  for (const topic of topics) {
    const before = new Map((committed.find((t) => t.topic === topic)?.partitions ?? []).map((p) => [p.partition, p.offset]));
    const partitions = (await admin.fetchTopicOffsets(topic)).map((p) => {
      const last = applied.get(`${topic}:${p.partition}`);
      return { partition: p.partition, offset: last === undefined ? p.low : String(last + 1n) };
    });
    await admin.setOffsets({ groupId, topic, partitions });
    for (const p of partitions) positions.push({ topic, ...p, before: before.get(p.partition) ?? '-1' });
  }
  return positions;
}
