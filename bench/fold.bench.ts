/*
 * `npm run bench:fold` (optionally `-- 10000 100000 400000`): the schedule aggregate's fold over the events of a
 * 10,000- and a 100,000-task import, against a plain loop over the same events (the floor: one switch on the type
 * and one Map write per event, no domain logic), measured in the same run. A linear fold keeps the same cost per
 * event at every size; the fold it replaced copied the whole task map on every event, so its cost per event grew
 * with the plan (quadratic in all).
 */
import { evolveSchedule, initialScheduleState } from '@pm/planning/domain';
import type { ScheduleState, ScheduleStreamEvent } from '@pm/planning/domain';
import { importEvents } from './plan-events';

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const SIZES = sizes.length ? sizes : [10_000, 100_000];

function fold(events: readonly ScheduleStreamEvent[]): ScheduleState {
  let state = initialScheduleState();
  for (const event of events) state = evolveSchedule(state, event);
  return state;
}

/** The floor: touch every event once, as any fold must. */
function plainLoop(events: readonly ScheduleStreamEvent[]): number {
  const byId = new Map<string, unknown>();
  for (const event of events) {
    switch (event.type) {
      case 'TaskAddedToWbs':
      case 'TaskScheduleChanged':
        byId.set(event.data.taskId, event.data);
        break;
      case 'DependencyLinked':
        byId.set(event.data.dependencyId, event.data);
        break;
      default:
        byId.set(event.type, event.data);
    }
  }
  return byId.size;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function time(run: () => unknown, repeat: number): number {
  run();
  const samples: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const start = process.hrtime.bigint();
    run();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(samples);
}

const rows: string[] = [];
let firstNsPerEvent = 0;
for (const tasks of SIZES) {
  const events = importEvents(tasks);
  const state = fold(events);
  if (state.status !== 'open' || state.tasks.size < tasks) throw new Error('the fold lost tasks');
  const repeat = tasks >= 100_000 ? 3 : 7;
  const foldMs = time(() => fold(events), repeat);
  const floorMs = time(() => plainLoop(events), repeat);
  const nsPerEvent = (foldMs * 1e6) / events.length;
  if (!firstNsPerEvent) firstNsPerEvent = nsPerEvent;
  rows.push(
    `| ${tasks.toLocaleString('en')} | ${events.length.toLocaleString('en')} | ${foldMs.toFixed(1)} ms | ${Math.round(events.length / (foldMs / 1000)).toLocaleString('en')} ev/s | ` +
      `${Math.round(events.length / (floorMs / 1000)).toLocaleString('en')} ev/s | ${(foldMs / floorMs).toFixed(1)}x | ${nsPerEvent.toFixed(0)} ns (${(nsPerEvent / firstNsPerEvent).toFixed(2)}x) |`,
  );
}

console.log('\nSchedule fold over an import (ScheduleOpened, WBS, ~1.5 links per task, calculation results), median of runs:\n');
console.log('| tasks | events | fold | fold rate | plain loop (floor) | fold / floor | per event (vs smallest) |');
console.log('|---|---|---|---|---|---|---|');
for (const row of rows) console.log(row);
console.log('\nLinear: the cost per event stays flat as the plan grows. reproduce: npm run bench:fold [-- sizes...]');
