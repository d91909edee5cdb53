/*
 * Loaded with `-r` into the service processes that the benches start (bench/rig/service-process.ts), before their
 * main.ts. With BENCH_TOPIC_PREFIX set it renames the context topics in `TOPICS` (@pm/contracts) to
 * `<prefix>pm.<context>.events`, so the bench's relay publishes to, and its consumers read from, topics of its own
 * that it deletes afterwards. The shared `pm.*.events` topics keep everything forever, and every new consumer group
 * (each e2e test starts one) reads them from offset 0: tens of thousands of bench events there would slow every
 * later test. Nothing else about the services changes; without the variable this file does nothing.
 */
import { TOPICS } from '@pm/contracts';

const prefix = process.env.BENCH_TOPIC_PREFIX;
if (prefix) {
  const topics = TOPICS as Record<string, string>;
  for (const context of Object.keys(topics)) topics[context] = `${prefix}${topics[context]}`;
}
