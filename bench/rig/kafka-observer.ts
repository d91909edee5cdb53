/** A raw kafkajs consumer for the benches: what arrived on a topic, and when. */
import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import type { RunScope } from './run-scope';

/** A kafkajs consumer of `topic` from its beginning, running once it has joined its group; disconnected by the scope. */
export async function observeTopic(scope: RunScope, kafka: Kafka, groupId: string, topic: string, onMessage: (message: KafkaMessage) => void): Promise<Consumer> {
  const consumer = kafka.consumer({ groupId });
  scope.defer(`disconnecting consumer ${groupId}`, () => consumer.disconnect());
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => onMessage(message) });
  await joined;
  return consumer;
}

/** Waits until `groupId` has committed the end offset of every partition of `topic`. */
export async function caughtUp(kafka: Kafka, groupId: string, topic: string, aborted: () => boolean): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const deadline = Date.now() + 300_000;
    for (;;) {
      const ends = await admin.fetchTopicOffsets(topic);
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const lag = ends.reduce((sum, p) => {
        const at = committed?.partitions.find((c) => c.partition === p.partition)?.offset ?? '-1';
        return sum + Math.max(0, Number(p.high) - Math.max(0, Number(at)));
      }, 0);
      if (lag === 0 || aborted()) return;
      if (Date.now() > deadline) throw new Error(`${groupId}: still ${lag} messages behind on ${topic} after 5 minutes`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } finally {
    await admin.disconnect();
  }
}
