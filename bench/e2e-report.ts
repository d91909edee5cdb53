/* The report `npm run bench:e2e` (bench/e2e.bench.ts) prints: tables of latency, where the time goes, CPU, goals. */
import os from 'node:os';
import type { CpuShare } from './rig/cpu-meter';
import type { FloorResult } from './e2e-floor';
import type { LoopResult } from './rig/open-loop';
import { ms as formatMs, ratio } from './rig/stats';
import type { Summary } from './rig/stats';

export interface E2eResult {
  rate: number;
  loop: LoopResult;
  ok: number;
  okInWindow: number;
  errors: Map<string, number>;
  visible: Summary;
  notVisible: number;
  answer: Summary;
  toBroker: Summary;
  brokerToVisible: Summary;
  /** Visible latency of the commands due in the rate's first FIRST_SECONDS, and of the rest (a start-up transient shows). */
  visibleFirst: Summary;
  visibleRest: Summary;
  cpu: CpuShare;
  pollMs: Summary;
  polls: number;
  /** 1-minute load average before and after. */
  load: [string, string];
}

/** The run's settings, as the report states them. */
export interface ReportSettings {
  readonly seconds: number;
  readonly floorSeconds: number;
  readonly maxOutstanding: number;
  readonly pollMs: number;
  readonly drainMs: number;
  readonly rates: readonly number[];
}

/** The share of a rate's run reported apart: the switch from the rate before it (pools, queues, heaps growing). */
export const FIRST_SECONDS = 5;

export const windowRate = (count: number, loop: LoopResult): string => (count / ((loop.windowEnd - loop.t0) / 1000)).toFixed(1);
const pct = (v: number | null): string => (v === null || Number.isNaN(v) ? 'n/a' : `${Math.round(v * 100)}%`);
const loadavg = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

export function report(results: Array<{ e2e: E2eResult; floor: FloorResult }>, startLoad: string, pgVersion: string, settings: ReportSettings): void {
  const { seconds: SECONDS, floorSeconds: FLOOR_SECONDS, maxOutstanding: MAX_OUTSTANDING, pollMs: POLL_MS, rates: RATES } = settings;
  const ms = (v: number): string => formatMs(v, `> ${settings.drainMs / 1000} s`);
  const lines: string[] = [];
  const out = (s = '') => lines.push(s);
  out();
  out(`Command (POST /projects on planning-service) until visible in ANOTHER service's read model (reporting-service's project_summaries),`);
  out(`open-loop arrivals, ${SECONDS} s per rate, at most ${MAX_OUTSTANDING} requests in flight; latency from each command's due time.`);
  out(`Visibility: one SELECT per ${POLL_MS} ms tick on reporting's project_summaries table for all outstanding ids (read directly, not through reporting's HTTP API).`);
  out(`Floor (same run, same rate, ${FLOOR_SECONDS} s, same open loop): INSERT committed alone (raw pg) + kafkajs send with acks=all + fetch by a raw kafkajs consumer.`);
  out();
  out('| rate | sent | achieved (2xx/s) | errors | visible p50 | p95 | p99 | max | not visible | floor p50 | p95 | p99 | max | floor achieved | p50 / floor | p99 / floor |');
  out('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const { e2e, floor } of results) {
    const errors = [...e2e.errors.values()].reduce((a, b) => a + b, 0);
    out(
      `| ${e2e.rate}/s | ${e2e.loop.launched} | ${windowRate(e2e.okInWindow, e2e.loop)} | ${errors} | ${ms(e2e.visible.p50)} | ${ms(e2e.visible.p95)} | ${ms(e2e.visible.p99)} | ${ms(e2e.visible.max)} | ${e2e.notVisible} | ` +
        `${ms(floor.fetched.p50)} | ${ms(floor.fetched.p95)} | ${ms(floor.fetched.p99)} | ${ms(floor.fetched.max)} | ${windowRate(floor.okInWindow, floor.loop)}/s | ${ratio(e2e.visible.p50, floor.fetched.p50)} | ${ratio(e2e.visible.p99, floor.fetched.p99)} |`,
    );
  }
  out();
  out(`Where the time goes: "on broker" is when the bench's own kafkajs consumer of the services' planning topic fetched the event`);
  out('(counted from the due time, so it includes the HTTP command, the commit and the relay); "broker to visible" is the rest, reporting\'s consumer and read model.');
  out();
  out(`| rate | answered p50 / p99 | on broker p50 / p99 | broker to visible p50 / p99 | visible p50 / p99 | visible, due in the first ${FIRST_SECONDS} s / later: p50 / p99 |`);
  out('|---|---|---|---|---|---|');
  for (const { e2e } of results) {
    out(
      `| ${e2e.rate}/s | ${ms(e2e.answer.p50)} / ${ms(e2e.answer.p99)} | ${ms(e2e.toBroker.p50)} / ${ms(e2e.toBroker.p99)} | ` +
        `${ms(e2e.brokerToVisible.p50)} / ${ms(e2e.brokerToVisible.p99)} | ${ms(e2e.visible.p50)} / ${ms(e2e.visible.p99)} | ` +
        `${ms(e2e.visibleFirst.p50)} / ${ms(e2e.visibleFirst.p99)}; ${ms(e2e.visibleRest.p50)} / ${ms(e2e.visibleRest.p99)} |`,
    );
  }
  out();
  out(`CPU during each rate (share of one core; this machine has ${os.cpus().length}): load generator (this process: HTTP client, read-model polling, broker observer), the services (child processes, /proc/<pid>/stat),`);
  out('PostgreSQL backends of the bench databases, the Kafka broker, and the whole machine (everything running on it, other work included).');
  out();
  out('| rate | generator | planning-service | reporting-service | PG backends | broker | machine | generator during floor | polls (query p50 / p99) | 1-min load before → after |');
  out('|---|---|---|---|---|---|---|---|---|---|');
  for (const { e2e, floor } of results) {
    const s = e2e.cpu.services;
    out(
      `| ${e2e.rate}/s | ${pct(e2e.cpu.generator)} | ${pct(s.get('planning-service') ?? null)} | ${pct(s.get('reporting-service') ?? null)} | ${pct(e2e.cpu.pg)} | ${pct(e2e.cpu.broker)} | ${pct(e2e.cpu.machine)} | ` +
        `${pct(floor.generatorCpu)} | ${e2e.polls} (${ms(e2e.pollMs.p50)} / ${ms(e2e.pollMs.p99)}) | ${e2e.load[0]} → ${e2e.load[1]} |`,
    );
  }
  const errorKinds = new Map<string, number>();
  for (const { e2e } of results) for (const [k, v] of e2e.errors) errorKinds.set(`${e2e.rate}/s: ${k}`, v);
  const floorErrors = results.filter((r) => r.floor.errors || r.floor.notFetched).map((r) => `${r.floor.rate}/s: ${r.floor.errors} failed, ${r.floor.notFetched} not fetched`);
  if (errorKinds.size || floorErrors.length) {
    out();
    for (const [k, v] of errorKinds) out(`errors ${k}: ${v}`);
    for (const f of floorErrors) out(`floor ${f}`);
  }
  out();
  const at200 = results.find((r) => r.e2e.rate === 200);
  out(
    `Goal (issue 9, not asserted): p50 <= 20 ms and p99 <= 100 ms at 200 commands/s` +
      (at200 ? ` — measured p50 ${ms(at200.e2e.visible.p50)}, p99 ${ms(at200.e2e.visible.p99)}, achieved ${windowRate(at200.e2e.okInWindow, at200.e2e.loop)}/s.` : ' — 200/s not in BENCH_RATES.'),
  );
  const underOneSecond = results.filter((r) => r.e2e.visible.p99 <= 1000 && r.e2e.notVisible === 0);
  const best = underOneSecond.sort((a, b) => b.e2e.okInWindow - a.e2e.okInWindow)[0];
  out(
    `Goal: at least 500 commands/s achieved before p99 passes 1 s — ` +
      (best ? `highest achieved rate with p99 <= 1 s: ${windowRate(best.e2e.okInWindow, best.e2e.loop)}/s (offered ${best.e2e.rate}/s, p99 ${ms(best.e2e.visible.p99)}).` : 'no rate kept p99 <= 1 s.'),
  );
  out();
  out(`node ${process.version}, PostgreSQL ${pgVersion}; load average at start ${startLoad}, at end ${loadavg()}. Reproduce: BENCH_SECONDS=${SECONDS} BENCH_RATES=${RATES.join(',')} npm run bench:e2e (the defaults: 60 s at 50,100,200,500/s).`);
  console.log(lines.join('\n'));
}

