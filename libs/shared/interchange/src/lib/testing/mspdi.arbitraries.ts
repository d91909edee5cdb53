import fc from 'fast-check';

import { withDerivedHours } from '../calendar/calendar-week';
import { COST_RATE_TABLES, WORK_CONTOURS } from '../codec/enums.codec';
import type {
  ConstraintType,
  DayOfWeek,
  LinkType,
  MspdiAssignment,
  MspdiCalendar,
  MspdiCalendarException,
  MspdiConstraint,
  MspdiCustomFieldValue,
  MspdiDuration,
  MspdiLag,
  MspdiProject,
  MspdiRecurrencePattern,
  MspdiResource,
  MspdiTask,
  MspdiWorkingTime,
  RateUnit,
  TimeUnit,
} from '../mspdi.model';
import { stripNonXmlChars } from '../xml/xml.writer';

/**
 * Models the writer must reproduce exactly: values are drawn on the grid MSPDI stores
 * (whole centiseconds of duration, tenths of a minute of lag, cents), so the comparison after a
 * round trip can be strict equality.
 */
const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

export const dateArb = fc
  .tuple(fc.integer({ min: 1990, max: 2040 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }))
  .map(([y, m, d]) => `${y}-${pad(m)}-${pad(d)}`);
export const timeArb = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 }))
  .map(([h, m, s]) => `${pad(h)}:${pad(m)}:${pad(s)}`);
export const dateTimeArb = fc.tuple(dateArb, timeArb).map(([date, time]) => `${date}T${time}`);

const textArb = fc.string({ unit: 'grapheme', maxLength: 20 }).map(stripNonXmlChars);
const nonEmptyTextArb = textArb.filter((text) => text !== '');
const centsArb = fc.integer({ min: 0, max: 10_000_000 }).map((cents) => cents / 100);
const hoursArb = fc.integer({ min: 0, max: 1_000_000_000 }).map((cs) => cs / 360_000);
const unitArb = fc.constantFrom<TimeUnit>('minutes', 'hours', 'days', 'weeks', 'months');

export const durationArb = (minutesPerDay: number): fc.Arbitrary<MspdiDuration> =>
  fc.oneof(
    fc.record({ cs: fc.integer({ min: 0, max: 2e9 }), unit: unitArb, elapsed: fc.boolean(), estimated: fc.boolean() }).map(
      ({ cs, unit, elapsed, estimated }) => ({ days: cs / ((elapsed ? 1440 : minutesPerDay) * 6000), unit, elapsed, estimated }),
    ),
    fc.record({ cs: fc.integer({ min: 0, max: 2e9 }), estimated: fc.boolean() }).map(({ cs, estimated }) => ({
      days: cs / (minutesPerDay * 6000),
      unit: null,
      elapsed: false,
      estimated,
    })),
  );

const lagArb = (minutesPerDay: number): fc.Arbitrary<MspdiLag> =>
  fc.oneof(
    fc.record({ tenths: fc.integer({ min: -1e6, max: 1e6 }), unit: unitArb, elapsed: fc.boolean(), estimated: fc.boolean() }).map(
      ({ tenths, unit, elapsed, estimated }) => ({ days: tenths / (10 * (elapsed ? 1440 : minutesPerDay)), unit, elapsed, estimated }),
    ),
    fc.record({ percent: fc.integer({ min: 0, max: 200 }), elapsed: fc.boolean(), estimated: fc.boolean() }).map(
      (lag) => ({ unit: 'percent' as const, ...lag }),
    ),
  );

const customFieldArb = (minutesPerDay: number): fc.Arbitrary<MspdiCustomFieldValue> =>
  fc.oneof(
    fc.record({ fieldId: fc.integer({ min: 188743680, max: 188744000 }).map(String), kind: fc.constant('text' as const), value: textArb }),
    fc.record({ fieldId: fc.integer({ min: 188743680, max: 188744000 }).map(String), kind: fc.constant('duration' as const), duration: durationArb(minutesPerDay) }),
  );

const constraintArb: fc.Arbitrary<MspdiConstraint> = fc.oneof(
  fc.constantFrom<ConstraintType>('ASAP', 'ALAP').map((type) => ({ type, date: null })),
  fc.record({ type: fc.constantFrom<ConstraintType>('MSO', 'MFO', 'SNET', 'SNLT', 'FNET', 'FNLT'), date: dateTimeArb }),
);

const nullable = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | null> => fc.option(arb, { nil: null });
const slackArb = (minutesPerDay: number) => nullable(fc.integer({ min: -1e6, max: 1e6 }).map((tenths) => tenths / (10 * minutesPerDay)));

const taskArb = (uid: number, otherUids: number[], calendarUids: number[], mpd: number): fc.Arbitrary<MspdiTask> =>
  fc.record({
    uid: fc.constant(uid),
    id: nullable(fc.nat(10_000)),
    name: textArb,
    outlineLevel: fc.nat(9),
    outlineNumber: nullable(nonEmptyTextArb),
    wbs: nullable(nonEmptyTextArb),
    summary: fc.boolean(),
    milestone: fc.boolean(),
    manual: fc.boolean(),
    duration: durationArb(mpd),
    start: nullable(dateTimeArb),
    finish: nullable(dateTimeArb),
    constraint: constraintArb,
    deadline: nullable(dateTimeArb),
    percentComplete: fc.integer({ min: 0, max: 100 }),
    actualStart: nullable(dateTimeArb),
    actualFinish: nullable(dateTimeArb),
    cost: nullable(centsArb),
    work: nullable(hoursArb),
    calendarUid: calendarUids.length ? nullable(fc.constantFrom(...calendarUids)) : fc.constant(null),
    notes: textArb,
    predecessors: otherUids.length === 0
      ? fc.constant([])
      : fc.array(fc.record({ predecessorUid: fc.constantFrom(...otherUids), type: fc.constantFrom<LinkType>('FF', 'FS', 'SF', 'SS'), lag: lagArb(mpd) }), { maxLength: 3 }),
    baselines: fc.array(
      fc.record({ number: fc.integer({ min: 0, max: 10 }), start: nullable(dateTimeArb), finish: nullable(dateTimeArb), duration: nullable(durationArb(mpd)), work: nullable(hoursArb), cost: nullable(centsArb) }),
      { maxLength: 2 },
    ),
    customFields: fc.array(customFieldArb(mpd), { maxLength: 2 }),
    schedule: nullable(
      fc.record({
        earlyStart: dateTimeArb, earlyFinish: nullable(dateTimeArb), lateStart: nullable(dateTimeArb), lateFinish: nullable(dateTimeArb),
        totalSlackDays: slackArb(mpd), freeSlackDays: slackArb(mpd), critical: nullable(fc.boolean()),
      }),
    ),
  });

const workingTimesArb: fc.Arbitrary<MspdiWorkingTime[]> = fc.array(
  fc.tuple(timeArb, timeArb).map(([a, b]) => (a <= b ? { from: a, to: b } : { from: b, to: a })),
  { maxLength: 3 },
);
const dayArb = fc.constantFrom<DayOfWeek>(0, 1, 2, 3, 4, 5, 6);
const itemArb = fc.constantFrom('day' as const, 'weekday' as const, 'weekend-day' as const, 0 as const, 3 as const, 6 as const);
const positionArb = fc.constantFrom('first' as const, 'second' as const, 'third' as const, 'fourth' as const, 'last' as const);
const everyArb = fc.integer({ min: 1, max: 4 });
const patternArb: fc.Arbitrary<MspdiRecurrencePattern> = fc.oneof(
  fc.record({ type: fc.constant('daily' as const), every: everyArb }),
  fc.record({ type: fc.constant('weekly' as const), every: everyArb, daysOfWeek: fc.uniqueArray(dayArb, { minLength: 1 }).map((d) => d.sort()) }),
  fc.record({ type: fc.constant('monthly-by-day' as const), every: everyArb, dayOfMonth: fc.integer({ min: 1, max: 31 }) }),
  fc.record({ type: fc.constant('monthly-by-position' as const), every: everyArb, position: positionArb, item: itemArb }),
  fc.record({ type: fc.constant('yearly-by-day' as const), month: fc.integer({ min: 1, max: 12 }), dayOfMonth: fc.integer({ min: 1, max: 28 }) }),
  fc.record({ type: fc.constant('yearly-by-position' as const), month: fc.integer({ min: 1, max: 12 }), position: positionArb, item: itemArb }),
);

const exceptionArb: fc.Arbitrary<MspdiCalendarException> = fc
  .record({
    name: textArb,
    from: dateArb,
    span: fc.integer({ min: 0, max: 400 }),
    working: fc.boolean(),
    workingTimes: workingTimesArb,
    recurrence: nullable(fc.record({ pattern: patternArb, enteredByOccurrences: fc.boolean(), occurrences: nullable(fc.integer({ min: 1, max: 50 })) })),
  })
  .map(({ span, from, working, workingTimes, ...rest }) => {
    const to = new Date(Date.parse(`${from}T00:00:00Z`) + span * 86_400_000).toISOString().slice(0, 10);
    return { ...rest, from, to, working, workingTimes: working ? workingTimes : [] };
  });

const calendarsArb: fc.Arbitrary<MspdiCalendar[]> = fc
  .uniqueArray(fc.integer({ min: 1, max: 50 }), { maxLength: 3 })
  .chain((uids) =>
    fc.tuple(
      ...uids.map((uid, index) =>
        fc.record({
          uid: fc.constant(uid),
          name: textArb,
          baseCalendarUid: index === 0 ? fc.constant(null) : nullable(fc.constantFrom(...uids.slice(0, index))),
          weekDays: fc.uniqueArray(fc.record({ dayOfWeek: dayArb, working: fc.boolean(), workingTimes: workingTimesArb }), { selector: (d) => d.dayOfWeek, maxLength: 7 })
            .map((days) => days.map((day) => ({ ...day, workingTimes: day.working ? day.workingTimes : [] }))),
          exceptions: fc.array(exceptionArb, { maxLength: 3 }),
        }).map((calendar) => ({ ...calendar, isBaseCalendar: calendar.baseCalendarUid === null })),
      ),
    ),
  )
  .map((calendars) => withDerivedHours(calendars));

const rateArb = nullable(fc.record({ perHour: centsArb, unit: fc.constantFrom<RateUnit>('minute', 'hour', 'day', 'week', 'month', 'year', 'material') }));

const resourceArb = (uid: number, calendarUids: number[], mpd: number): fc.Arbitrary<MspdiResource> =>
  fc.constantFrom('work' as const, 'material' as const, 'cost' as const).chain((type) =>
    fc.record({
      uid: fc.constant(uid), id: nullable(fc.nat(1000)), name: textArb, type: fc.constant(type),
      initials: textArb, code: textArb, group: textArb, emailAddress: textArb, materialLabel: textArb,
      maxUnits: type === 'work' ? fc.integer({ min: 0, max: 1000 }).map((u) => u / 100) : fc.constant(null),
      standardRate: rateArb, overtimeRate: rateArb, costPerUse: nullable(centsArb),
      accrueAt: nullable(fc.constantFrom('start' as const, 'end' as const, 'prorated' as const)),
      calendarUid: calendarUids.length ? nullable(fc.constantFrom(...calendarUids)) : fc.constant(null),
      availableFrom: nullable(dateTimeArb), availableTo: nullable(dateTimeArb),
      availability: fc.array(fc.record({ from: nullable(dateTimeArb), to: nullable(dateTimeArb), units: fc.integer({ min: 0, max: 500 }).map((u) => u / 100) }), { maxLength: 2 }),
      costRates: fc.array(fc.record({ table: fc.constantFrom(...COST_RATE_TABLES), from: dateTimeArb, to: dateTimeArb, standardRate: rateArb, overtimeRate: rateArb, costPerUse: nullable(centsArb) }), { maxLength: 3 }),
      isGeneric: fc.boolean(), isInactive: fc.boolean(), notes: textArb,
      baselines: fc.array(fc.record({ number: fc.integer({ min: 0, max: 10 }), work: nullable(hoursArb), cost: nullable(centsArb) }), { maxLength: 2 }),
      customFields: fc.array(customFieldArb(mpd), { maxLength: 2 }),
    }),
  );

const assignmentArb = (uid: number, taskUids: number[], resourceUids: number[], mpd: number): fc.Arbitrary<MspdiAssignment> =>
  fc.record({
    uid: fc.constant(uid), taskUid: fc.constantFrom(...taskUids),
    resourceUid: resourceUids.length ? nullable(fc.constantFrom(...resourceUids)) : fc.constant(null),
    units: fc.integer({ min: 0, max: 400 }).map((u) => u / 100),
    work: nullable(hoursArb), actualWork: nullable(hoursArb), remainingWork: nullable(hoursArb),
    start: nullable(dateTimeArb), finish: nullable(dateTimeArb), actualStart: nullable(dateTimeArb), actualFinish: nullable(dateTimeArb),
    percentWorkComplete: fc.integer({ min: 0, max: 100 }), cost: nullable(centsArb),
    costRateTable: fc.constantFrom(...COST_RATE_TABLES), workContour: fc.constantFrom(...WORK_CONTOURS),
    baselines: fc.array(fc.record({ number: fc.integer({ min: 0, max: 10 }), start: nullable(dateTimeArb), finish: nullable(dateTimeArb), work: nullable(hoursArb), cost: nullable(centsArb) }), { maxLength: 2 }),
    customFields: fc.array(customFieldArb(mpd), { maxLength: 1 }),
  });

export const projectArb: fc.Arbitrary<MspdiProject> = fc
  .record({
    mpd: fc.integer({ min: 60, max: 1440 }),
    calendars: calendarsArb,
    taskUids: fc.uniqueArray(fc.integer({ min: 0, max: 200 }), { maxLength: 6 }),
    resourceUids: fc.uniqueArray(fc.integer({ min: 0, max: 200 }), { maxLength: 3 }),
  })
  .chain(({ mpd, calendars, taskUids, resourceUids }) => {
    const calendarUids = calendars.map((c) => c.uid);
    return fc.record({
      properties: fc.record({
        name: textArb, title: textArb, scheduleFromStart: fc.boolean(), startDate: dateTimeArb,
        finishDate: nullable(dateTimeArb), statusDate: nullable(dateTimeArb),
        currencyCode: fc.constantFrom('USD', 'EUR', 'GBP'), currencySymbol: textArb,
        defaultCalendarUid: calendarUids.length ? nullable(fc.constantFrom(...calendarUids)) : fc.constant(null),
        defaultStartTime: timeArb, defaultFinishTime: timeArb, minutesPerDay: fc.constant(mpd),
        minutesPerWeek: fc.integer({ min: 60, max: 10_080 }), daysPerMonth: fc.integer({ min: 1, max: 31 }),
      }),
      customFields: fc.array(fc.record({ fieldId: fc.integer({ min: 188743680, max: 205521200 }).map(String), name: textArb, alias: nullable(nonEmptyTextArb) }), { maxLength: 3 }),
      calendars: fc.constant(calendars),
      tasks: fc.tuple(...taskUids.map((uid) => taskArb(uid, taskUids.filter((u) => u !== uid), calendarUids, mpd))),
      resources: fc.tuple(...resourceUids.map((uid) => resourceArb(uid, calendarUids, mpd))),
      assignments: taskUids.length === 0
        ? fc.constant([])
        : fc.uniqueArray(fc.integer({ min: 1, max: 500 }), { maxLength: 3 }).chain((uids) =>
            fc.tuple(...uids.map((uid) => assignmentArb(uid, taskUids, resourceUids, mpd))),
          ),
    });
  });
