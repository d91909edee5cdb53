// Exit 0 when a Kafka broker at argv[2] answers a metadata request, 1 otherwise.
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const { Kafka, logLevel } = require('kafkajs');

const broker = process.argv[2] ?? '127.0.0.1:9092';
const kafka = new Kafka({ clientId: 'pm-ready-probe', brokers: [broker], logLevel: logLevel.NOTHING,
  connectionTimeout: 1000, requestTimeout: 2000, retry: { retries: 0 } });
const admin = kafka.admin();
try {
  await admin.connect();
  const cluster = await admin.describeCluster();
  if (!cluster.brokers.length) throw new Error('no brokers in metadata');
  await admin.disconnect();
  process.exit(0);
} catch {
  await admin.disconnect().catch(() => {});
  process.exit(1);
}
