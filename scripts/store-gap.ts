/**
 * After a point-in-time restore of an event store (docs/runbook.md, ADR 0016), before the service starts:
 *
 *   PG_URL=postgres://…/pm_risk KAFKA_BROKERS=… npm run -s store:gap -- risk
 *
 * reads pm.<context>.events from offset 0 and lists the events it holds that the store lacks (published, perhaps
 * applied by others, lost by the restore). Exit 0 when there are none, 1 when the store is behind its topic (the
 * service must not take commands until they are back), 2 on a usage error.
 */
import { TOPICS } from '@pm/contracts';
import type { BoundedContext } from '@pm/contracts';
import { createPgPool } from '@pm/platform/event-store';
import { createKafka, findStoreGap } from '@pm/platform/messaging';

async function main(): Promise<number> {
  const context = process.argv[2];
  if (!context || !Object.hasOwn(TOPICS, context) || !process.env.PG_URL) {
    process.stderr.write(`Usage: PG_URL=<the service's database> KAFKA_BROKERS=<brokers> npm run -s store:gap -- <${Object.keys(TOPICS).join('|')}>\n`);
    return 2;
  }
  const topic = TOPICS[context as BoundedContext];
  const pool = createPgPool(process.env.PG_URL);
  try {
    const gap = await findStoreGap(createKafka('store-gap'), topic, pool);
    process.stdout.write(`${topic}: ${gap.onTopic} events, ${gap.missing.length} missing from the store${gap.unreadable ? `, ${gap.unreadable} unreadable messages` : ''}\n`);
    for (const e of gap.missing.slice(0, 50)) process.stdout.write(`  ${e.id} ${e.type} ${e.subject} v${e.streamVersion} (partition ${e.partition}, offset ${e.offset})\n`);
    if (gap.missing.length > 50) process.stdout.write(`  … and ${gap.missing.length - 50} more\n`);
    return gap.missing.length ? 1 : 0;
  } finally {
    await pool.end();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exit(2);
  },
);
