import type { Admin } from 'kafkajs';
import type { Pool } from 'pg';

/** Per `topic:partition`, the last offset that must be settled (inclusive). */
export type PartitionTargets = Map<string, bigint>;

const key = (topic: string, partition: number) => `${topic}:${partition}`;

/** The last offset of every non-empty partition, and how many messages the topics hold; refuses a trimmed log. */
export async function highWatermarks(admin: Admin, topics: readonly string[]): Promise<{ targets: PartitionTargets; total: number }> {
  const targets: PartitionTargets = new Map();
  let total = 0;
  for (const topic of topics) {
    for (const p of await admin.fetchTopicOffsets(topic)) {
      const high = BigInt(p.high);
      const low = BigInt(p.low);
      // Event topics keep everything; a partition that no longer starts at 0 has lost history (wrong retention),
      // and rebuilding from it would silently give a partial read model.
      if (low > 0n) throw new Error(`${topic}[${p.partition}] starts at offset ${low}: history was deleted, cannot rebuild`);
      if (high > low) {
        targets.set(key(topic, p.partition), high - 1n);
        total += Number(high - low);
      }
    }
  }
  return { targets, total };
}

/** The last offset the live consumer group has committed past, per partition (nothing for a partition it never committed). */
export async function committedTargets(admin: Admin, groupId: string, topics: readonly string[]): Promise<PartitionTargets> {
  const targets: PartitionTargets = new Map();
  for (const t of await admin.fetchOffsets({ groupId, topics: [...topics] })) {
    for (const p of t.partitions) {
      const next = BigInt(p.offset);
      if (next > 0n) targets.set(key(t.topic, p.partition), next - 1n);
    }
  }
  return targets;
}

/**
 * The last offset per partition whose event the live consumer applied (its inbox rows). Kafka learns a consumed
 * offset only after the inbox transaction committed, so the inbox can be ahead of the committed offsets: the new
 * model must include those events too, or they would be in neither model after the swap.
 */
export async function appliedTargets(pool: Pool, inboxName: string, topics: readonly string[]): Promise<PartitionTargets> {
  const res = await pool.query<{ topic: string; partition: number; offset: string }>(
    `SELECT topic, kafka_partition AS partition, max(kafka_offset)::text AS offset
       FROM inbox WHERE consumer = $1 AND topic = ANY($2::text[]) GROUP BY topic, kafka_partition`,
    [inboxName, topics],
  );
  return new Map(res.rows.map((r) => [key(r.topic, r.partition), BigInt(r.offset)]));
}

/** The furthest of both per partition. */
export function furthest(...all: PartitionTargets[]): PartitionTargets {
  const out: PartitionTargets = new Map();
  for (const targets of all) for (const [k, v] of targets) if ((out.get(k) ?? -1n) < v) out.set(k, v);
  return out;
}

/** What a consumer has settled so far (handled, skipped or dead-lettered), and waits for targets to be covered. */
export class SettledOffsets {
  private readonly settled = new Map<string, bigint>();
  /** Each waiter with what it waits for: a settled message wakes only the waiters whose target it reaches. */
  private waiters: Array<{ readonly targets: PartitionTargets; readonly wake: () => void }> = [];
  count = 0;

  settle(topic: string, partition: number, offset: string): void {
    this.count++;
    const k = key(topic, partition);
    const o = BigInt(offset);
    if ((this.settled.get(k) ?? -1n) >= o) return;
    this.settled.set(k, o);
    if (this.waiters.length === 0) return;
    const target = (w: { readonly targets: PartitionTargets }) => w.targets.get(k);
    const reached = this.waiters.filter((w) => {
      const last = target(w);
      return last !== undefined && o >= last;
    });
    if (reached.length === 0) return;
    this.waiters = this.waiters.filter((w) => !reached.includes(w));
    for (const w of reached) w.wake();
  }

  covers(targets: PartitionTargets): boolean {
    for (const [k, last] of targets) if ((this.settled.get(k) ?? -1n) < last) return false;
    return true;
  }

  /** Resolves true once every target is settled, false after `timeoutMs`; rejects when `signal` aborts. */
  async waitFor(targets: PartitionTargets, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.covers(targets)) {
      signal?.throwIfAborted();
      const left = deadline - Date.now();
      if (left <= 0) return false;
      // Woken when a partition reaches its target, or every 250 ms to notice an abort or the deadline.
      await new Promise<void>((resolve) => {
        const waiter = {
          targets,
          wake: () => {
            clearTimeout(timer);
            resolve();
          },
        };
        const timer = setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          resolve();
        }, Math.min(left, 250));
        this.waiters.push(waiter);
      });
    }
    return true;
  }
}
