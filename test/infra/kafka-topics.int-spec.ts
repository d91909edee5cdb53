import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import type { Admin } from 'kafkajs';
import { ROOT } from './infra-module';

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
// A prefix keeps this run clear of the real topics and of concurrent runs.
const prefix = `test-${randomUUID().slice(0, 8)}.`;
const FOURTEEN_DAYS_MS = String(14 * 24 * 60 * 60 * 1000);

const EVENT_TOPICS = ['pm.planning.events', 'pm.resource.events', 'pm.risk.events', 'pm.notification.events'];
const DLQ_TOPICS = ['planning-service', 'resource-service', 'risk-service', 'notification-service', 'reporting-service'].map((s) => `pm.${s}.dlq`);
const ALL = [...EVENT_TOPICS, ...DLQ_TOPICS].map((t) => prefix + t);

interface Report {
  created: string[];
  grown: Array<{ topic: string; from: number; to: number }>;
  altered: Array<{ topic: string; changes: Record<string, { from: string | null; to: string }> }>;
  unchanged: string[];
}

/** Through the CLI, as the docker-compose init container runs it. */
function ensureTopicsCli(): Report {
  const run = spawnSync(process.execPath, [path.join(ROOT, 'scripts/infra.mjs'), 'topics', '--brokers', brokers.join(','), '--prefix', prefix, '--json'], {
    cwd: ROOT, encoding: 'utf8', timeout: 60_000,
  });
  if (run.status !== 0) throw new Error(`infra.mjs topics failed (${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout) as Report;
}

async function topicConfig(admin: Admin, topic: string): Promise<Record<string, string>> {
  const { resources } = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }] });
  return Object.fromEntries(resources[0].configEntries.map((e) => [e.configName, e.configValue]));
}

describe('ensureTopics against the real broker', () => {
  let admin: Admin;
  const planning = prefix + 'pm.planning.events';
  const riskDlq = prefix + 'pm.risk-service.dlq';

  beforeAll(async () => {
    admin = new Kafka({ clientId: 'pm-infra-test', brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    // Drift to repair: too few partitions, a wrong retention, and an unrelated override that must survive.
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic: planning, numPartitions: 2, configEntries: [{ name: 'retention.ms', value: '3600000' }, { name: 'segment.ms', value: '3600000' }] },
        { topic: riskDlq, numPartitions: 6, configEntries: [{ name: 'retention.ms', value: '-1' }] },
      ],
    });
  });

  afterAll(async () => {
    const mine = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    if (mine.length) await admin.deleteTopics({ topics: mine });
    await admin.disconnect();
  });

  it('creates the missing topics, grows short ones and corrects retention', async () => {
    const report = ensureTopicsCli();
    expect(report.created.sort()).toEqual(ALL.filter((t) => t !== planning && t !== riskDlq).sort());
    expect(report.grown).toEqual([{ topic: planning, from: 2, to: 6 }]);
    expect(report.altered).toEqual(expect.arrayContaining([
      { topic: planning, changes: { 'retention.ms': { from: '3600000', to: '-1' } } },
      { topic: riskDlq, changes: { 'retention.ms': { from: '-1', to: FOURTEEN_DAYS_MS } } },
    ]));
    expect(report.altered).toHaveLength(2);

    const { topics } = await admin.fetchTopicMetadata({ topics: ALL });
    expect(Object.fromEntries(topics.map((t) => [t.name, t.partitions.length]))).toEqual(Object.fromEntries(ALL.map((t) => [t, 6])));
    for (const topic of ALL) {
      const config = await topicConfig(admin, topic);
      expect([topic, config['retention.ms']]).toEqual([topic, topic.endsWith('.dlq') ? FOURTEEN_DAYS_MS : '-1']);
    }
    // AlterConfigs replaces a topic's whole dynamic config: the unrelated override must have been carried over.
    expect((await topicConfig(admin, planning))['segment.ms']).toBe('3600000');
  });

  it('does nothing the second time', () => {
    const report = ensureTopicsCli();
    expect(report).toEqual({ created: [], grown: [], altered: [], unchanged: ALL });
  });
});
