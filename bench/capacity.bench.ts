/*
 * Capacity benchmark: `npm run bench:capacity`.
 *
 * 2,000 resources × 52 weeks × 20,000 assignments (a seeded RNG, so every run measures the same portfolio):
 * calendars with holidays, part-time availability, leave, assignments by units or by hours of work. Measured,
 * as the median of several runs after a warm-up:
 *   - the service's path: for every resource, `capacityProfile` + `demandProfile` over its own calendar,
 *     weekly buckets (`bucketise`) and over-allocation runs (`findOverallocations`);
 *   - a plain pass over the same arrays: one Int32Array per resource-day, demand added day by day with only a
 *     weekday test, capacity as a constant, and weekly sums. It ignores holidays, leave, availability and
 *     even spreading, so it is a floor, not an alternative.
 * The ratio says what the calendars, exact integer spreading and per-period reporting cost over that floor.
 */
import { performance } from 'node:perf_hooks';
import { WorkingMinutes, bucketise, capacityProfile, demandProfile, findOverallocations, periodsOf } from '@pm/resource/domain';
import { dayNumber, weekdayOfDay } from '@pm/shared/scheduling';
import type { CapacityInput, DayRange, DemandItem } from '@pm/resource/domain';

const RESOURCES = 2_000;
const WEEKS = 52;
const ASSIGNMENTS = 20_000;
const RUNS = 7;

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

const random = mulberry32(42);
const range: DayRange = { from: dayNumber('2026-01-05'), to: dayNumber('2026-01-05') + WEEKS * 7 - 1 };
const holidays = ['2026-04-03', '2026-04-06', '2026-05-01', '2026-12-25'];
const calendars = [
  { workingWeekdays: [1, 2, 3, 4, 5], hoursPerDay: 8, holidays },
  { workingWeekdays: [1, 2, 3, 4, 5], hoursPerDay: 7.5, holidays },
  { workingWeekdays: [1, 2, 3, 4], hoursPerDay: 9, holidays: [] },
];
const resources: CapacityInput[] = Array.from({ length: RESOURCES }, () => {
  const leaveStart = range.from + Math.floor(random() * 300);
  const iso = (d: number) => new Date(d * 86_400_000).toISOString().slice(0, 10);
  return {
    calendar: calendars[Math.floor(random() * calendars.length)],
    availabilityPercent: random() < 0.2 ? 50 + Math.floor(random() * 4) * 10 : 100,
    leave: random() < 0.5 ? [{ from: iso(leaveStart), to: iso(leaveStart + 9) }] : [],
  };
});
const owner = new Int32Array(ASSIGNMENTS);
const items: DemandItem[] = Array.from({ length: ASSIGNMENTS }, (_, i) => {
  owner[i] = Math.floor(random() * RESOURCES);
  const startDay = range.from + Math.floor(random() * (WEEKS * 7 - 10));
  const finishDay = Math.min(range.to, startDay + Math.floor(random() * 40));
  const load = random() < 0.6 ? { kind: 'units' as const, percent: 10 * (1 + Math.floor(random() * 10)) } : { kind: 'work' as const, minutes: 60 * (4 + Math.floor(random() * 120)) };
  return { taskId: `T${i}`, startDay, finishDay, load };
});
const byResource: DemandItem[][] = Array.from({ length: RESOURCES }, () => []);
items.forEach((item, i) => byResource[owner[i]].push(item));

function servicePath(): number {
  let periodsOver = 0;
  const weeks = periodsOf(range, 'week');
  for (let r = 0; r < RESOURCES; r++) {
    const calendar = new WorkingMinutes(resources[r].calendar);
    const capacity = capacityProfile(resources[r], range, calendar);
    const demand = demandProfile(byResource[r], range, calendar);
    bucketise(range, capacity, demand, 'week', weeks);
    periodsOver += findOverallocations(range, capacity, demand, byResource[r]).length;
  }
  return periodsOver;
}

/** The floor: same arrays, one flat Int32Array, weekday test only, constant capacity, weekly sums. */
function plainPass(): number {
  const days = WEEKS * 7;
  const demand = new Int32Array(RESOURCES * days);
  for (let i = 0; i < ASSIGNMENTS; i++) {
    const { startDay, finishDay, load } = items[i];
    const perDay = load.kind === 'units' ? (480 * load.percent) / 100 : load.minutes / Math.max(1, finishDay - startDay + 1);
    const base = owner[i] * days - range.from;
    for (let d = startDay; d <= finishDay; d++) if (weekdayOfDay(d) % 6 !== 0) demand[base + d] += perDay;
  }
  let weeksOver = 0;
  for (let r = 0; r < RESOURCES; r++) {
    for (let w = 0; w < WEEKS; w++) {
      let sum = 0;
      for (let k = 0; k < 7; k++) sum += demand[r * days + w * 7 + k];
      if (sum > 2400) weeksOver++;
    }
  }
  return weeksOver;
}

function median(run: () => number): { ms: number; result: number } {
  const result = run();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    run();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], result };
}

const service = median(servicePath);
const plain = median(plainPass);
console.log(`capacity vs demand: ${RESOURCES} resources × ${WEEKS} weeks × ${ASSIGNMENTS} assignments (median of ${RUNS} runs)`);
console.log(`  service path (calendars, leave, availability, exact spreading, weekly buckets, over-allocation runs): ${service.ms.toFixed(1)} ms, ${service.result} over-allocated periods`);
console.log(`  plain pass over the same arrays (weekday test only, constant capacity, weekly sums):               ${plain.ms.toFixed(1)} ms, ${plain.result} weeks over`);
console.log(`  ratio: ${(service.ms / plain.ms).toFixed(2)}×`);
