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
