import type { MspdiDuration, MspdiLag, TimeUnit } from '../mspdi.model';

/**
 * MSPDI durations are ISO-8601 `PTnHnMnS` values holding the total time: working time for
 * ordinary durations, wall-clock time for elapsed ones (1 elapsed day = PT24H). Fractional
 * seconds appear in timephased values, so everything is counted in hundredths of a second,
 * as integers, to make parse → write → parse exact.
 */
const ISO_DURATION = /^(-)?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;
const CENTISECONDS_PER_MINUTE = 6000;
const CENTISECONDS_PER_TENTH_MINUTE = 600;
const MINUTES_PER_ELAPSED_DAY = 1440;

/** Total length of an ISO-8601 duration in hundredths of a second; `null` when malformed. */
export function isoDurationToCentiseconds(text: string): number | null {
  const match = ISO_DURATION.exec(text.trim());
  if (!match || text.trim() === 'P' || text.trim().endsWith('T')) return null;
  const [, sign, years, months, days, hours, minutes, seconds] = match;
  // Calendar parts are ambiguous for working time; Microsoft Project never writes them.
  if (years !== undefined || months !== undefined) return null;
  const whole = (value: string | undefined): number => (value === undefined ? 0 : Number(value));
  const centis =
    whole(days) * 24 * 60 * CENTISECONDS_PER_MINUTE +
    whole(hours) * 60 * CENTISECONDS_PER_MINUTE +
    whole(minutes) * CENTISECONDS_PER_MINUTE +
    Math.round(Number(seconds ?? '0') * 100);
  return sign === '-' && centis !== 0 ? -centis : centis;
}

/** `PT{h}H{m}M{s}S` with hours unbounded, as Microsoft Project writes it. */
export function centisecondsToIsoDuration(centiseconds: number): string {
  const total = Math.round(Math.abs(centiseconds));
  const hours = Math.floor(total / (60 * CENTISECONDS_PER_MINUTE));
  const minutes = Math.floor((total % (60 * CENTISECONDS_PER_MINUTE)) / CENTISECONDS_PER_MINUTE);
  const rest = total % CENTISECONDS_PER_MINUTE;
  const seconds = rest % 100 === 0 ? String(rest / 100) : (rest / 100).toFixed(2).replace(/0$/, '');
  return `${centiseconds < 0 && total !== 0 ? '-' : ''}PT${hours}H${minutes}M${seconds}S`;
}

interface DurationFormat {
  readonly unit: TimeUnit | 'percent' | null;
  readonly elapsed: boolean;
  readonly estimated: boolean;
}

const BASE_CODES: ReadonlyArray<readonly [number, TimeUnit | 'percent' | null, boolean]> = [
  [3, 'minutes', false], [4, 'minutes', true],
  [5, 'hours', false], [6, 'hours', true],
  [7, 'days', false], [8, 'days', true],
  [9, 'weeks', false], [10, 'weeks', true],
  [11, 'months', false], [12, 'months', true],
  [19, 'percent', false], [20, 'percent', true],
  [21, null, false],
];
/** The schema adds 32 to a format code for its "estimated" (`?`) variant: 39 = `d?`, 53 = `null?`. */
const ESTIMATED_OFFSET = 32;

export function decodeDurationFormat(code: number): DurationFormat | null {
  const estimated = code > ESTIMATED_OFFSET;
  const base = estimated ? code - ESTIMATED_OFFSET : code;
  const entry = BASE_CODES.find(([c]) => c === base);
  return entry ? { unit: entry[1], elapsed: entry[2], estimated } : null;
}

export function encodeDurationFormat(format: DurationFormat): number {
  // "No unit" has no elapsed variant; an elapsed value without a unit is shown in elapsed days.
  const unit = format.unit === null && format.elapsed ? 'days' : format.unit;
  const entry = BASE_CODES.find(([, u, e]) => u === unit && (unit === null || e === format.elapsed));
  const base = entry ? entry[0] : 21;
  return format.estimated ? base + ESTIMATED_OFFSET : base;
}

const minutesPerDayOf = (elapsed: boolean, minutesPerDay: number): number =>
  elapsed ? MINUTES_PER_ELAPSED_DAY : minutesPerDay;

export function durationFromCentiseconds(
  centiseconds: number,
  format: DurationFormat,
  minutesPerDay: number,
): MspdiDuration {
  const unit = format.unit === 'percent' ? null : format.unit;
  const days = centiseconds / (minutesPerDayOf(format.elapsed, minutesPerDay) * CENTISECONDS_PER_MINUTE);
  return { days, unit, elapsed: format.elapsed, estimated: format.estimated };
}

export function durationToCentiseconds(duration: MspdiDuration, minutesPerDay: number): number {
  return Math.round(duration.days * minutesPerDayOf(duration.elapsed, minutesPerDay) * CENTISECONDS_PER_MINUTE);
}

/** Work is plain hours: Microsoft Project writes it as a duration of working time. */
export const centisecondsToHours = (centiseconds: number): number => centiseconds / (60 * CENTISECONDS_PER_MINUTE);
export const hoursToCentiseconds = (hours: number): number => Math.round(hours * 60 * CENTISECONDS_PER_MINUTE);

/** LinkLag is in tenths of a minute, except percentage lags, which hold the percentage itself. */
export function lagFromLinkLag(linkLag: number, format: DurationFormat, minutesPerDay: number): MspdiLag {
  if (format.unit === 'percent') {
    return { unit: 'percent', percent: linkLag, elapsed: format.elapsed, estimated: format.estimated };
  }
  return durationFromCentiseconds(linkLag * CENTISECONDS_PER_TENTH_MINUTE, format, minutesPerDay);
}

export function lagToLinkLag(lag: MspdiLag, minutesPerDay: number): { linkLag: number; lagFormat: number } {
  if (lag.unit === 'percent') {
    return { linkLag: Math.round(lag.percent), lagFormat: encodeDurationFormat(lag) };
  }
  return {
    linkLag: Math.round(durationToCentiseconds(lag, minutesPerDay) / CENTISECONDS_PER_TENTH_MINUTE),
    lagFormat: encodeDurationFormat(lag),
  };
}

/** Slack values are tenths of a minute of working time. */
export const slackToDays = (tenthsOfMinute: number, minutesPerDay: number): number => tenthsOfMinute / (10 * minutesPerDay);
export const daysToSlack = (days: number, minutesPerDay: number): number => Math.round(days * 10 * minutesPerDay);
