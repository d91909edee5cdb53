// Local infrastructure from the command line (npm run infra:up | infra:down | infra:status).
//   node scripts/infra.mjs up [--no-kafka]     PostgreSQL (+ service databases), Kafka (+ topics); leaves them running
//   node scripts/infra.mjs down                stops the broker started by deploy/local/kafka.sh and the embedded PostgreSQL
//   node scripts/infra.mjs status              what answers where (exit 3 when something is down)
//   node scripts/infra.mjs topics [--brokers host:port] [--prefix p] [--json]
//                                              only the topics (the docker-compose init container runs this)
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  REPO_ROOT, SERVICES, ensureInfra, ensureTopics, kafkaAnswers, pgAnswers, redactUrl, stopEmbeddedPostgres, stopKafka, topicSpecs,
} from './lib/infra.mjs';

// kafkajs 2.2.4 schedules a negative timeout on Node 24, which only prints a warning; keep the output readable.
process.removeAllListeners('warning');
process.on('warning', (w) => { if (w.name !== 'TimeoutNegativeWarning') console.error(`${w.name}: ${w.message}`); });

const EMBEDDED_DATA = path.join(REPO_ROOT, '.local/postgres');
const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    brokers: { type: 'string', default: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092' },
    prefix: { type: 'string', default: '' },
    json: { type: 'boolean', default: false },
    'no-kafka': { type: 'boolean', default: false },
  },
});

function printTopics(prefix = '') {
  for (const t of topicSpecs({ prefix })) {
    console.log(`  ${t.topic.padEnd(28)} ${t.partitions} partitions, retention.ms=${t.config['retention.ms']}`);
  }
}

async function up() {
  const infra = await ensureInfra({ detached: true, withKafka: !values['no-kafka'], brokers: values.brokers });
  console.log(`PostgreSQL   ${infra.pgUrl}${infra.embeddedPg ? '   (embedded; data in .local/postgres)' : ''}`);
  console.log(`databases    ${SERVICES.map((s) => s.database).join(', ')}`);
  if (infra.kafkaBrokers) {
    console.log(`Kafka        ${infra.kafkaBrokers}${infra.kafkaStartedHere ? '   (started by deploy/local/kafka.sh)' : ''}`);
    console.log('topics');
    printTopics();
  }
}

async function down() {
  await stopKafka();
  if (!(await stopEmbeddedPostgres({ dataDir: EMBEDDED_DATA }))) console.error('[infra] no embedded PostgreSQL running');
}

async function status() {
  const pgUrl = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const pgUp = await pgAnswers(pgUrl).catch((e) => e);
  console.log(`postgres: ${pgUp instanceof Error ? pgUp.message : `${pgUp ? 'up' : 'down'} at ${redactUrl(pgUrl)}`}`);
  const pidFile = path.join(EMBEDDED_DATA, 'postmaster.pid');
  const embedded = fs.existsSync(pidFile) ? fs.readFileSync(pidFile, 'utf8').split('\n') : null;
  console.log(`embedded postgres: ${embedded ? `running (pid ${embedded[0]}, port ${embedded[3]})` : 'not running'}`);
  const kafkaUp = await kafkaAnswers(values.brokers);
  console.log(`kafka: ${kafkaUp ? 'up' : 'down'} at ${values.brokers}`);
  return (pgUp === true || embedded) && kafkaUp ? 0 : 3;
}

async function topics() {
  const report = await ensureTopics({ brokers: values.brokers, prefix: values.prefix, log: values.json ? () => {} : (m) => console.log(m) });
  if (values.json) console.log(JSON.stringify(report));
  else {
    console.log(`topics on ${values.brokers}: ${report.created.length} created, ${report.grown.length} grown, ${report.altered.length} altered, ${report.unchanged.length} unchanged`);
    printTopics(values.prefix);
  }
}

const commands = { up, down, status, topics };
const command = commands[positionals[0]];
if (!command) {
  console.error('usage: node scripts/infra.mjs up [--no-kafka] | down | status | topics [--brokers b] [--prefix p] [--json]');
  process.exit(2);
}
try {
  const code = await command();
  process.exit(code ?? 0);
} catch (e) {
  console.error(`[infra] ${e.message}`);
  process.exit(1);
}
