import type { Admin, Kafka } from 'kafkajs';
import { defineGauge } from '@pm/platform/observability';

/** One partition of a consumer group's subscription, as the broker and the group see it. */
export interface PartitionLag {
  readonly topic: string;
  readonly partition: number;
  /** The group's committed offset (the next message it will read); null while it has committed none. */
  readonly committedOffset: string | null;
  /** The partition's log start (retention may have removed what came before). */
  readonly lowWatermark: string;
  /** The offset the next produced message will get. */
  readonly highWatermark: string;
  /** Messages between what the group committed (or the log start, while it has committed none) and the high watermark. */
  readonly lag: number;
}

export interface ConsumerGroupLag {
  readonly groupId: string;
  /** When the broker was asked: the figures are at most `cacheMs` old. */
  readonly sampledAt: string;
  readonly partitions: readonly PartitionLag[];
}

export interface ConsumerLagMonitorOptions {
  readonly kafka: Kafka;
  readonly groupId: string;
  readonly topics: readonly string[];
  /** A sample is reused for this long (default 2 s): a scrape or a request never costs an admin round trip of its own. */
  readonly cacheMs?: number;
}

/**
 * Lag of one consumer group from the broker's view: the group's committed offsets (`fetchOffsets`) against each
 * partition's high watermark (`fetchTopicOffsets`). It is true while the group's consumers are stopped or stuck,
 * which a figure reported by the consumer itself (kafkajs `offsetLag` after a batch) is not. One admin connection,
 * opened on first use; concurrent callers share the sample in flight and, for `cacheMs`, its result.
 */
export class ConsumerLagMonitor {
  private admin?: Admin;
  private connecting?: Promise<Admin>;
  private cached?: { readonly at: number; readonly value: Promise<ConsumerGroupLag> };
  private readonly cacheMs: number;

  constructor(private readonly options: ConsumerLagMonitorOptions) {
    this.cacheMs = options.cacheMs ?? 2_000;
  }

  get groupId(): string {
    return this.options.groupId;
  }

  sample(now = Date.now()): Promise<ConsumerGroupLag> {
    if (this.cached && now - this.cached.at < this.cacheMs) return this.cached.value;
    const value = this.fetch();
    this.cached = { at: now, value };
    // A failed sample is not kept: the next caller asks again.
    value.catch(() => {
      if (this.cached?.value === value) this.cached = undefined;
    });
    return value;
  }

  async close(): Promise<void> {
    const admin = this.admin ?? (await this.connecting?.catch(() => undefined));
    this.admin = undefined;
    this.connecting = undefined;
    this.cached = undefined;
    await admin?.disconnect();
  }

  private async connected(): Promise<Admin> {
    if (this.admin) return this.admin;
    this.connecting ??= (async () => {
      const admin = this.options.kafka.admin({ retry: { retries: 1 } });
      await admin.connect();
      this.admin = admin;
      return admin;
    })().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async fetch(): Promise<ConsumerGroupLag> {
    const admin = await this.connected();
    const sampledAt = new Date().toISOString();
    const topics = [...this.options.topics];
    // Committed offsets first, watermarks after: a high watermark read earlier could be below an offset committed
    // in between, and the pair would claim the group is ahead of the log.
    const committed = await admin.fetchOffsets({ groupId: this.options.groupId, topics });
    const watermarks = await Promise.all(topics.map((topic) => admin.fetchTopicOffsets(topic)));
    const partitions: PartitionLag[] = [];
    topics.forEach((topic, t) => {
      const offsets = new Map((committed.find((c) => c.topic === topic)?.partitions ?? []).map((p) => [p.partition, p.offset]));
      for (const w of [...watermarks[t]].sort((a, b) => a.partition - b.partition)) {
        partitions.push(partitionLag(topic, w.partition, offsets.get(w.partition), w.low, w.high));
      }
    });
    return { groupId: this.options.groupId, sampledAt, partitions };
  }
}

/** kafkajs answers `-1` for a partition the group has committed nothing on: it will start at the log start. */
export function partitionLag(topic: string, partition: number, committed: string | undefined, low: string, high: string): PartitionLag {
  const has = committed !== undefined && committed !== '-1' && committed !== '';
  const from = has ? BigInt(committed) : BigInt(low);
  const start = from < BigInt(low) ? BigInt(low) : from;
  const behind = BigInt(high) - start;
  return {
    topic,
    partition,
    committedOffset: has ? committed : null,
    lowWatermark: low,
    highWatermark: high,
    lag: behind > 0n ? Number(behind) : 0,
  };
}

const monitors = new Set<ConsumerLagMonitor>();

/**
 * Every running consumer's group lag on `/metrics`, sampled at scrape time (through each monitor's cache). A group
 * whose sample fails reports -1 on the partitions it last reported, so an alert sees "unknown", not "caught up".
 */
function lagGauge() {
  const last = new Map<string, readonly PartitionLag[]>();
  return defineGauge({
    name: 'pm_consumer_group_lag_messages',
    help: 'Messages between the consumer group committed offset and the partition high watermark (admin client, sampled at scrape)',
    labelNames: ['group', 'topic', 'partition'],
    async collect() {
      this.reset();
      await Promise.all(
        [...monitors].map(async (m) => {
          const partitions = await m.sample().then(
            (s) => s.partitions,
            () => (last.get(m.groupId) ?? []).map((p) => ({ ...p, lag: -1 })),
          );
          last.set(m.groupId, partitions);
          for (const p of partitions) this.set({ group: m.groupId, topic: p.topic, partition: String(p.partition) }, p.lag);
        }),
      );
    },
  });
}

/** A consumer's lag is exported from its start until its stop. */
export function exportConsumerLag(monitor: ConsumerLagMonitor): () => void {
  lagGauge();
  monitors.add(monitor);
  return () => monitors.delete(monitor);
}
