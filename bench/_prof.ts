import { performance } from 'node:perf_hooks';
import { randomNetwork, kahnTopologicalSort } from './cpm.bench';
import { compileSchedule, runPasses, schedule, compileNetwork } from '@pm/shared/scheduling';
const n = Number(process.argv[2] ?? 400000);
const input = randomNetwork(n, 1.5, 1);
const t = (label: string, f: () => unknown) => { const s = performance.now(); const r = f(); console.log(label, (performance.now() - s).toFixed(1)); return r; };
for (let i = 0; i < 4; i++) {
  const ids = input.tasks.map((x) => x.id);
  t('topo', () => kahnTopologicalSort(input));
  t('network', () => compileNetwork(ids, input.links));
  const c = t('compile', () => compileSchedule(input)) as any;
  t('passes', () => runPasses(c.network, c.plan));
  t('schedule', () => schedule(input));
}
