import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { TOPICS } from '@pm/contracts';

/*
 * Topics of its own for the spec file that imports this module FIRST (before any service module, some of which read
 * `TOPICS` when they load): the context topics in `TOPICS` (@pm/contracts) become `<prefix>pm.<context>.events` for
 * this file only (Jest gives each spec file its own module registry), as bench/rig/bench-topics.preload.ts does for
 * the benches. Specs run side by side on one broker, and every service instance of another spec reads the shared
 * topics from offset 0 with its own database: its risk service, say, would raise automatic risks for this spec's
 * project (rules on by default there) and publish the outcome where this spec's reporting reads it.
 */
const prefix = `e2e-${randomBytes(4).toString('hex')}-`;
const topics = TOPICS as Record<string, string>;
for (const context of Object.keys(topics)) topics[context] = `${prefix}${topics[context]}`;

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

/** Creates the renamed topics (as many partitions as the shared ones); `remove` deletes them after the spec. */
export async function ownTopics(): Promise<{ remove(): Promise<void> }> {
  const admin = new Kafka({ clientId: 'e2e-own-topics', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  const names = Object.values(topics);
  await admin.createTopics({ waitForLeaders: true, topics: names.map((topic) => ({ topic, numPartitions: 6 })) });
  return {
    remove: async () => {
      try {
        await admin.deleteTopics({ topics: names });
      } finally {
        await admin.disconnect();
      }
    },
  };
}
