import fc from 'fast-check';
import { formatIsoDate, parseIsoDate } from '../dates';
import type { CalendarSpec } from '../calendar';
import type { ConstraintType, LinkType, ScheduleInput, ScheduleLinkInput, ScheduleTaskInput } from '../schedule.types';

/** Test-only generators of random acyclic networks for the property specs. */

export const PROJECT_START = '2025-01-06';
export const CALENDAR: CalendarSpec = {
  workingWeekdays: [1, 2, 3, 4, 5],
  hoursPerDay: 8,
  holidays: ['2025-01-20', '2025-02-17', '2025-04-18'],
};

export interface NetworkOptions {
  readonly maxTasks: number;
  readonly linkTypes?: readonly LinkType[];
  readonly lags?: { min: number; max: number };
  /** Random SNET/FNET constraints (they only push dates later). */
  readonly pushConstraints?: boolean;
  /** Any constraint, progress and a status date. */
  readonly rich?: boolean;
}

const dateNear = (base: string, min: number, max: number) =>
  fc.integer({ min, max }).map((d) => formatIsoDate(parseIsoDate(base) + d));

function taskArb(id: string, options: NetworkOptions): fc.Arbitrary<ScheduleTaskInput> {
  const duration = fc.integer({ min: 0, max: 8 });
  if (options.rich) {
    const constraintType = fc.constantFrom<ConstraintType>('SNET', 'SNLT', 'FNET', 'FNLT', 'MSO', 'MFO');
    const constraint = fc.option(fc.record({ type: constraintType, date: dateNear(PROJECT_START, -5, 60) }), { freq: 3, nil: undefined });
    const progress = fc.oneof(
      { weight: 3, arbitrary: fc.constant(undefined) },
      fc.record({ actualStart: dateNear(PROJECT_START, -3, 10) }),
      fc.record({ actualStart: dateNear(PROJECT_START, -3, 10), remainingDuration: fc.integer({ min: 0, max: 5 }) }),
      fc
        .tuple(dateNear(PROJECT_START, -3, 10), fc.integer({ min: 0, max: 10 }))
        .map(([start, days]) => ({ actualStart: start, actualFinish: formatIsoDate(parseIsoDate(start) + days) })),
    );
    return fc.record({ id: fc.constant(id), duration, constraint, progress }, { requiredKeys: ['id', 'duration'] }) as fc.Arbitrary<ScheduleTaskInput>;
  }
  if (options.pushConstraints) {
    const constraint = fc.option(fc.record({ type: fc.constantFrom<ConstraintType>('SNET', 'FNET'), date: dateNear(PROJECT_START, -5, 40) }), {
      freq: 3,
      nil: undefined,
    });
    return fc.record({ id: fc.constant(id), duration, constraint }, { requiredKeys: ['id', 'duration'] }) as fc.Arbitrary<ScheduleTaskInput>;
  }
  return duration.map((d) => ({ id, duration: d }));
}

/**
 * Tasks are numbered 0..n-1 behind the scenes and every link goes from a lower to a higher number, so the network
 * is acyclic; the ids are random, so that number says nothing about the id order.
 */
export function networkArb(options: NetworkOptions): fc.Arbitrary<ScheduleInput> {
  const types = options.linkTypes ?? ['FS', 'SS', 'FF', 'SF'];
  const lags = options.lags ?? { min: -3, max: 5 };
  return fc.integer({ min: 1, max: options.maxTasks }).chain((n) =>
    fc
      .record({
        ids: fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9]{0,3}$/), { minLength: n, maxLength: n }),
        links: fc.array(
          fc.record({ a: fc.nat(n - 1), b: fc.nat(n - 1), type: fc.constantFrom(...types), lag: fc.integer(lags) }),
          { maxLength: 2 * n },
        ),
        statusDate: options.rich ? dateNear(PROJECT_START, 8, 15).map((d): string | undefined => d) : fc.constant(undefined),
      })
      .chain(({ ids, links, statusDate }) =>
        fc.tuple(...ids.map((id) => taskArb(id, options))).map((tasks) => ({
          projectStart: PROJECT_START,
          calendar: CALENDAR,
          statusDate,
          tasks,
          links: links
            .filter((l) => l.a !== l.b)
            .map((l): ScheduleLinkInput => ({ from: ids[Math.min(l.a, l.b)], to: ids[Math.max(l.a, l.b)], type: l.type, lag: l.lag })),
        })),
      ),
  );
}

/** A deterministic Fisher-Yates shuffle driven by a seed (mulberry32). */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  let a = seed >>> 0;
  const random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
