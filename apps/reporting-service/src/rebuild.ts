// npm run reporting:rebuild — rebuilds every portfolio read model from offset zero of the event topics,
// with a progress bar. Safe while the service runs: live updates of a read model wait (an advisory lock) while
// it is rebuilt, then skip what the rebuild applied (the inbox).
import { dlqTopic } from '@pm/contracts';
import { createPgPool, runMigrations } from '@pm/platform/event-store';
import { createKafka } from '@pm/platform/messaging';
import { rebuildFromTopics, terminalProgress } from '@pm/platform/projections';
import { REPORTING_MIGRATIONS } from '@pm/reporting/data-access';
import { REPORTING_TOPICS, reportingProjections } from '@pm/reporting/feature';
import { configFromEnv } from './config';

async function main(): Promise<void> {
  const config = configFromEnv();
  await runMigrations(config.pgUrl, REPORTING_MIGRATIONS);
  // A rebuild is a long job on purpose: it waits for the read model's lock while live updates finish, and holds it
  // while it replays everything; the service pools' statement and idle-transaction timeouts do not apply to it.
  const pool = createPgPool(config.pgUrl, { statement_timeout: 0, idle_in_transaction_session_timeout: 0 });
  const kafka = createKafka('reporting-service.rebuild');
  try {
    for (const projection of reportingProjections()) {
      const progress = terminalProgress(projection.name);
      const n = await rebuildFromTopics({
        kafka,
        pool,
        topics: REPORTING_TOPICS,
        projection,
        inboxName: config.consumerGroupId,
        dlqTopic: dlqTopic('reporting-service'),
        onProgress: progress.listener,
      });
      progress.stop();
      process.stderr.write(`${projection.name}: rebuilt from ${n} events\n`);
    }
  } finally {
    await pool.end();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
