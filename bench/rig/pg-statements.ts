/*
 * What a service asked of PostgreSQL, as counted by bench/rig/pg-statements.preload.ts in the service's process: read
 * the counts at two moments and print the difference, per unit of work, costliest first.
 */
import fs from 'node:fs';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export type StatementCounts = Record<string, { n: number; ms: number }>;

/** A service's statement counts so far (the preload rewrites the file every 500 ms: wait for the next). */
export async function statementCounts(file: string): Promise<StatementCounts> {
  await sleep(700);
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as StatementCounts;
  } catch {
    return {};
  }
}

/**
 * What a service asked of PostgreSQL from the first assessment until the end of the drain (the floor is not counted),
 * per assessment answered (risk) or whose notifications reached the inbox (notification: in-app deliveries / recipients;
 * e-mails and webhooks still in flight at the end are counted as far as they got), and the statements that cost the most time. These counts do not
 * depend on how busy the machine was, so they compare runs that latencies cannot.
 */
export function printStatements(service: string, before: StatementCounts, after: StatementCounts, events: number, per: string, rowsShown: number): void {
  const rows = Object.entries(after)
    .map(([text, c]) => ({ text, n: c.n - (before[text]?.n ?? 0), ms: c.ms - (before[text]?.ms ?? 0) }))
    .filter((r) => r.n > 0)
    .sort((a, b) => b.ms - a.ms);
  const total = rows.reduce((sum, r) => sum + r.n, 0);
  console.log(`\n${service}, PostgreSQL statements while the assessments were applied: ${total} (${(total / Math.max(events, 1)).toFixed(1)} per ${per}, ${events.toFixed(0)} in all)`);
  console.log('| statements | per assessment | driver time | statement |\n| ---: | ---: | ---: | --- |');
  for (const r of rows.slice(0, rowsShown)) console.log(`| ${r.n} | ${(r.n / Math.max(events, 1)).toFixed(2)} | ${(r.ms / 1000).toFixed(1)} s | \`${r.text.slice(0, 90).replace(/\|/g, '\\|')}\` |`);
}

