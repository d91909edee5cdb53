// npm run reporting:rebuild — rebuilds every portfolio read model from offset zero of the event topics into new
// tables (schema reporting_next) while the service keeps answering from the live ones, then swaps them in
// atomically (ADR 0504). Prints a progress bar with the rate, then reads the same topics raw and prints the ratio.
import { createPgPool, runMigrations } from '@pm/platform/event-store';
import { createKafka } from '@pm/platform/messaging';
import { readTopicsRaw, terminalProgress } from '@pm/platform/projections';
import { REPORTING_MIGRATIONS } from '@pm/reporting/data-access';
import { REPORTING_TOPICS, rebuildReporting } from '@pm/reporting/feature';
import { configFromEnv } from './config';

async function main(): Promise<void> {
  const config = configFromEnv();
  // The live schema first: a fresh database gets its tables, and the swap replaces tables that exist.
  await runMigrations(config.pgUrl, REPORTING_MIGRATIONS);
  // A rebuild is a long job on purpose: the service pools' statement and idle-transaction timeouts do not apply to it.
  const pool = createPgPool(config.pgUrl, { statement_timeout: 0, idle_in_transaction_session_timeout: 0 });
  const kafka = createKafka('reporting-service.rebuild');
  try {
    const progress = terminalProgress('reporting');
    const rebuilt = await rebuildReporting({ kafka, pgUrl: config.pgUrl, pool, consumerGroupId: config.consumerGroupId, onProgress: progress.listener });
    progress.stop();
    process.stderr.write(`reporting: swapped in ${rebuilt.swapped.length} rebuilt tables (${rebuilt.swapped.join(', ')}) from ${rebuilt.settled} events\n`);
    if (rebuilt.events === 0) return void process.stderr.write('reporting: the topics were empty; no rate to compare\n');
    const rate = rebuilt.events / rebuilt.replaySeconds;
    const raw = await readTopicsRaw(kafka, REPORTING_TOPICS);
    process.stderr.write(
      `replay of the ${rebuilt.events} events present at the start: ${rebuilt.replaySeconds.toFixed(2)} s = ${rate.toFixed(0)} events/s\n` +
        `raw read of the same topics: ${raw.events} events in ${raw.seconds.toFixed(2)} s = ${raw.perSecond.toFixed(0)} events/s\n` +
        `rebuild / raw = ${(rate / raw.perSecond).toFixed(2)}x (goal >= 0.5x)\n`,
    );
  } finally {
    await pool.end();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
