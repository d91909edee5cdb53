/*
 * Critical path engine benchmark: `npm run bench:cpm` (optionally `-- 10000 100000` for other sizes).
 *
 * Random acyclic networks with 1.5 links per task (mixed FS/SS/FF/SF, lags and leads, ~10% milestones, a seeded
 * RNG so every run schedules the same graphs), tasks and links shuffled so memory access is as scattered as a real
 * import. For each size: one warm-up run, then the median of several runs of
 *   - `schedule()`: the whole library call, from the input objects to the dated result with critical paths;
 *   - its core passes alone (`runPasses` on an already compiled network: what a Monte Carlo iteration costs);
 *   - a plain Kahn topological sort of the same input (index the ids, build the adjacency, order it): the floor
 *     under any CPM, which needs at least that much work.
 */
import { performance } from 'node:perf_hooks';
import { compileSchedule, runPasses, schedule } from '@pm/shared/scheduling';
import type { LinkType, ScheduleInput, ScheduleLinkInput, ScheduleOptions, ScheduleTaskInput } from '@pm/shared/scheduling';
import { planTasks } from './plan-mspdi';

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/** Links go from a lower to a higher task number (so the graph is acyclic), mostly between nearby tasks as in a WBS. */
export function randomNetwork(taskCount: number, linksPerTask: number, seed: number): ScheduleInput {
  const random = mulberry32(seed);
  const tasks: ScheduleTaskInput[] = [];
  for (let i = 0; i < taskCount; i++) {
    tasks.push({ id: `T${i}`, duration: random() < 0.1 ? 0 : 1 + Math.floor(random() * 10) });
  }
  const links: ScheduleLinkInput[] = [];
  const linkCount = Math.round(taskCount * linksPerTask);
  for (let k = 0; k < linkCount; k++) {
    const to = 1 + Math.floor(random() * (taskCount - 1));
    const reach = random() < 0.8 ? Math.min(to, 200) : to;
    const from = to - 1 - Math.floor(random() * reach);
    const r = random();
    const type: LinkType = r < 0.7 ? 'FS' : r < 0.85 ? 'SS' : r < 0.95 ? 'FF' : 'SF';
    const lag = random() < 0.7 ? 0 : Math.floor(random() * 8) - 2;
    links.push({ from: `T${from}`, to: `T${to}`, type, lag });
  }
  const input: ScheduleInput = {
    projectStart: '2025-01-06',
    calendar: { workingWeekdays: [1, 2, 3, 4, 5], hoursPerDay: 8, holidays: ['2025-12-25', '2026-01-01'] },
    tasks: shuffle(tasks, random),
    links: shuffle(links, random),
  };
  // Through JSON, as the planning service receives a plan: objects laid out in array order, strings as a parser makes them.
  return JSON.parse(JSON.stringify(input)) as ScheduleInput;
}

/**
 * The work tasks and links of bench:plan's programme (plan-mspdi.ts: chains of phases joined by fan-in links, so
 * the critical path runs through most of the plan): 100 critical paths of tens of thousands of tasks each.
 */
export function programmeNetwork(taskCount: number): ScheduleInput {
  const tasks: ScheduleTaskInput[] = [];
  const links: ScheduleLinkInput[] = [];
  for (const task of planTasks(taskCount, true)) {
    if (task.summary) continue;
    tasks.push({ id: `t${task.uid}`, duration: task.duration.days });
    for (const p of task.predecessors) links.push({ from: `t${p.predecessorUid}`, to: `t${task.uid}`, type: p.type, lag: p.lag.unit === 'percent' ? 0 : p.lag.days });
  }
  return { projectStart: '2025-01-06', calendar: { workingWeekdays: [1, 2, 3, 4, 5], hoursPerDay: 8, holidays: [] }, tasks, links };
}

/** What the planning service asks of the engine (schedule-calculation.ts: the ids one event can hold). */
const PLATFORM_OPTIONS: ScheduleOptions = { maxCriticalPathTasks: 37_500 };

/** The floor: index ids, build a CSR successor list and run Kahn's algorithm, nothing else. */
export function kahnTopologicalSort(input: ScheduleInput): Int32Array {
  const n = input.tasks.length;
  const indexOf = new Map<string, number>();
  for (let i = 0; i < n; i++) indexOf.set(input.tasks[i].id, i);
  const m = input.links.length;
  const from = new Int32Array(m);
  const to = new Int32Array(m);
  const offsets = new Int32Array(n + 1);
  const indegree = new Int32Array(n);
  for (let k = 0; k < m; k++) {
    from[k] = indexOf.get(input.links[k].from) as number;
    to[k] = indexOf.get(input.links[k].to) as number;
    offsets[from[k] + 1]++;
    indegree[to[k]]++;
  }
  for (let v = 0; v < n; v++) offsets[v + 1] += offsets[v];
  const targets = new Int32Array(m);
  const fill = offsets.slice(0, n);
  for (let k = 0; k < m; k++) targets[fill[from[k]]++] = to[k];
  const queue = new Int32Array(n);
  let tail = 0;
  for (let v = 0; v < n; v++) if (indegree[v] === 0) queue[tail++] = v;
  for (let head = 0; head < tail; head++) {
    const u = queue[head];
    for (let k = offsets[u]; k < offsets[u + 1]; k++) if (--indegree[targets[k]] === 0) queue[tail++] = targets[k];
  }
  if (tail !== n) throw new Error('cycle');
  return queue;
}

function medianMs(runs: number, work: () => unknown): number {
  work();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    work();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function main(): void {
  const sizes = process.argv.slice(2).map(Number).filter((s) => s > 1);
  const rows: string[][] = [];
  const cases = (sizes.length > 0 ? sizes : [10_000, 100_000, 400_000]).flatMap((size) => [
    { shape: 'random', size, input: () => randomNetwork(size, 1.5, 20250106 + size), options: {} },
    { shape: 'programme, all 100 paths', size, input: () => programmeNetwork(size), options: {} },
    { shape: 'programme, as the service asks', size, input: () => programmeNetwork(size), options: PLATFORM_OPTIONS },
  ]);
  for (const { shape, size, input: make, options } of cases) {
    const input = make();
    const runs = size >= 400_000 ? 5 : size >= 100_000 ? 7 : 15;
    let result = schedule(input, options);
    const cpmMs = medianMs(runs, () => (result = schedule(input, options)));
    const compiled = compileSchedule(input);
    const passesMs = medianMs(runs, () => runPasses(compiled.network, compiled.plan));
    const topoMs = medianMs(runs, () => kahnTopologicalSort(input));
    const critical = result.tasks.filter((t) => t.critical).length;
    const pathTasks = result.criticalPaths.reduce((n, path) => n + path.length, 0);
    rows.push([
      shape,
      input.tasks.length.toLocaleString('en-US'),
      input.links.length.toLocaleString('en-US'),
      cpmMs.toFixed(1),
      passesMs.toFixed(1),
      topoMs.toFixed(1),
      (cpmMs / topoMs).toFixed(1),
      ((cpmMs * 1e6) / size).toFixed(0),
      `${result.projectFinish} (${critical.toLocaleString('en-US')} critical, ${result.criticalPaths.length} path(s) of ${pathTasks.toLocaleString('en-US')} ids)`,
    ]);
  }
  const header = ['network', 'tasks', 'links', 'CPM ms', 'passes ms', 'topo-sort ms', 'CPM/topo', 'ns/task', 'project finish'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
  console.log(
    `\nCPM = schedule() end to end (median); passes = runPasses() on a compiled network; topo-sort = Kahn on the same input.` +
      `\nprogramme = bench:plan's plan (work tasks only); "as the service asks" bounds the critical paths' ids at 37,500 (maxCriticalPathTasks).` +
      `\nnode ${process.version}, ${process.platform}/${process.arch}. Reproduce: npm run bench:cpm${sizes.length ? ` -- ${sizes.join(' ')}` : ''}`,
  );
}

if (require.main === module) main();
