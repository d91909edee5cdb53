/** bench:plan's output: per plan size, each measure against issue 9's goal and the floor of the same run. */
import os from 'node:os';
import { mib, ms, ratio, summarise } from './rig/stats';
import type { Summary } from './rig/stats';
import { NEIGHBOUR_TIMEOUT_MS } from './plan-schedule-client';
import type { NeighbourReader } from './plan-schedule-client';

export interface SizeResult {
  readonly size: number;
  readonly bytes: number;
  readonly links: number;
  readonly summaries: number;
  /** false when the kernel refused to reset VmHWM: the peak is then since the service started. */
  readonly peakReset: boolean;
  importStatus?: number;
  accepted?: number;
  jobDone?: number;
  importVisible?: number;
  floorInsert?: number;
  readonly reads: number[];
  /** The first page, as a Gantt asks for it. */
  readonly pageReads: number[];
  responseBytes?: number;
  floorSelect?: number;
  readonly edits: Array<{ label: string; answered: number; visible: number; moved: number; floor: number }>;
  peakMemory?: number | null;
  /** This process's CPU while the size was measured, as a share of one core (HTTP client, JSON, floors, the other tenant). */
  generatorCpu?: number;
  failure?: string;
}

const GIB = 2 ** 30;
const GOALS: ReadonlyMap<number, { importMs?: number; leafMs?: number; moveAllMs?: number; readMs?: number; memory?: number }> = new Map([
  [2_000, { importMs: 2_000, leafMs: 100, moveAllMs: 500, readMs: 100 }],
  [100_000, { importMs: 30_000, memory: GIB }],
  [400_000, { importMs: 120_000, memory: 2 * GIB }],
]);
const NEIGHBOUR_P99_GOAL = 250;

const verdict = (value: number | undefined, goal: number | undefined): string =>
  goal === undefined || value === undefined ? '' : value <= goal ? ' (met)' : ' (NOT met)';
const goalMs = (goal: number | undefined): string => (goal === undefined ? '—' : `<= ${ms(goal)}`);
const opt = (v: number | undefined): string => (v === undefined ? 'n/a' : ms(v));

export interface PlanReport {
  readonly results: readonly SizeResult[];
  readonly neighbour: NeighbourReader;
  readonly neighbourFloor: Summary;
  readonly neighbourMs: number;
  readonly startLoad: string;
  readonly pgVersion: string;
  readonly sizes: readonly number[];
  readonly fanIn: boolean;
}

export function reportPlan(r: PlanReport): void {
  const out: string[] = [''];
  out.push('Plans imported from Microsoft Project XML into planning-service (a child process), edited and read over HTTP; "visible" = the first');
  out.push('read of the schedule\'s first page (GET /projects/:id/schedule?limit=100&fields=..., as a Gantt asks) at the new version, that read');
  out.push('included. Floors: raw pg on the same server in the same run, one row per task holding the task\'s JSON as GET schedule returned it.');
  for (const s of r.results) {
    const goal = GOALS.get(s.size) ?? {};
    out.push('');
    out.push(`${s.size.toLocaleString('en-US')} tasks (${s.summaries.toLocaleString('en-US')} summaries, ${s.links.toLocaleString('en-US')} links${r.fanIn ? '' : ', no fan-in across phases'}, ${(s.bytes / 2 ** 20).toFixed(1)} MiB of XML)${s.failure ? ` — FAILED: ${s.failure}` : ''}`);
    out.push('');
    out.push('| measure | measured | goal (issue 9) | floor (same run) | ratio |');
    out.push('|---|---|---|---|---|');
    out.push(`| import: upload answered (HTTP ${s.importStatus ?? '—'}) | ${opt(s.accepted)} | | | |`);
    out.push(`| import: job seen succeeded | ${opt(s.jobDone)} | | | |`);
    out.push(`| import visible (first page of GET schedule) | ${opt(s.importVisible)}${verdict(s.importVisible, goal.importMs)} | ${goalMs(goal.importMs)} | INSERT ${s.size} rows, one commit: ${opt(s.floorInsert)} | ${ratio(s.importVisible ?? NaN, s.floorInsert ?? NaN)} |`);
    const read = s.reads.length ? summarise(s.reads).p50 : undefined;
    out.push(`| read the whole schedule (median of ${s.reads.length}; ${s.responseBytes ? `${(s.responseBytes / 2 ** 20).toFixed(1)} MiB` : 'n/a'}) | ${opt(read)}${verdict(read, goal.readMs)} | ${goalMs(goal.readMs)} | SELECT ${s.size} rows: ${opt(s.floorSelect)} | ${ratio(read ?? NaN, s.floorSelect ?? NaN)} |`);
    const page = s.pageReads.length ? summarise(s.pageReads).p50 : undefined;
    out.push(`| read its first page (100 tasks, Gantt columns; median of ${s.pageReads.length}) | ${opt(page)} | | | |`);
    for (const e of s.edits) {
      const g = e.label.startsWith('leaf') ? goal.leafMs : goal.moveAllMs;
      const floorLabel = e.label.startsWith('leaf') ? 'UPDATE 1 row' : `UPDATE ${s.size} rows`;
      out.push(`| edit ${e.label}: answered / visible (${e.moved} tasks rescheduled) | ${ms(e.answered)} / ${ms(e.visible)}${verdict(e.visible, g)} | ${goalMs(g)} | ${floorLabel}: ${ms(e.floor)} | ${ratio(e.visible, e.floor)} |`);
    }
    const peak = s.peakMemory ?? null;
    out.push(`| bench process CPU meanwhile (share of one core; the machine has ${os.cpus().length}) | ${s.generatorCpu === undefined ? 'n/a' : `${Math.round(s.generatorCpu * 100)}%`} | | | |`);
    out.push(`| planning-service peak memory (VmHWM${s.peakReset ? ', reset before this size' : ', since the service started'}) | ${mib(peak)}${verdict(peak ?? undefined, goal.memory)} | ${goal.memory ? `<= ${mib(goal.memory)}` : '—'} | | |`);
  }
  out.push('');
  out.push(`The other tenant: GET schedule of its own 20-task plan (built with ordinary schedule commands) due every ${r.neighbourMs} ms the whole time (open loop; latency from the due time), by what the bench was doing.`);
  out.push(`Floor: SELECT of its 20 rows, p50 ${ms(r.neighbourFloor.p50)}, p99 ${ms(r.neighbourFloor.p99)}. Goal: p99 <= ${NEIGHBOUR_P99_GOAL} ms throughout.`);
  out.push('');
  out.push('| while | reads | failed | p50 | p99 | max | p99 / floor p99 |');
  out.push('|---|---|---|---|---|---|---|');
  const all: number[] = [];
  // A failed read (error, or no answer within the timeout) is in the percentiles as never answered.
  const never = `failed / > ${NEIGHBOUR_TIMEOUT_MS / 1000} s`;
  const row = (label: string, values: number[], failed: number) => {
    const s = summarise(values);
    out.push(`| ${label} | ${s.count} | ${failed} | ${ms(s.p50, never)} | ${ms(s.p99, never)}${verdict(s.p99, NEIGHBOUR_P99_GOAL)} | ${ms(s.max, never)} | ${ratio(s.p99, r.neighbourFloor.p99)} |`);
  };
  for (const [phase, values] of r.neighbour.latencies) {
    all.push(...values);
    row(phase, values, r.neighbour.failures.get(phase) ?? 0);
  }
  row('whole run', all, [...r.neighbour.failures.values()].reduce((a, b) => a + b, 0));
  out.push('');
  out.push(`node ${process.version}, PostgreSQL ${r.pgVersion}, ${process.platform}/${process.arch}; load average at start ${r.startLoad}, at end ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (other work on the machine included). Reproduce: BENCH_PLAN_SIZES=${r.sizes.join(',')}${r.fanIn ? '' : ' BENCH_PLAN_FAN_IN=0'} npm run bench:plan`);
  console.log(out.join('\n'));
}
