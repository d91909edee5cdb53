import { invalid } from '@pm/shared/ddd';
import { isIsoDate } from '@pm/shared/scheduling';

/** Rules every aggregate of the register applies to what a client sends, so a decided event always meets its contract. */

/** The contracts' limits (libs/contracts/src/risk): a longer text would be refused at append. */
export const TEXT_LIMITS = { title: 200, statement: 2000, reason: 1000, trigger: 500, person: 200, localId: 100 } as const;
export type TextKind = keyof typeof TEXT_LIMITS;

export function requiredText(field: string, value: string | null | undefined, kind: TextKind): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text === '') throw invalid('TEXT_REQUIRED', `${field} is required`, { field });
  return textMustFit(field, text, kind);
}

export function optionalText(field: string, value: string | null | undefined, kind: TextKind): string | null {
  const text = typeof value === 'string' ? value.trim() : '';
  return text === '' ? null : textMustFit(field, text, kind);
}

function textMustFit(field: string, text: string, kind: TextKind): string {
  const max = TEXT_LIMITS[kind];
  if (text.length > max) throw invalid('TEXT_TOO_LONG', `${field} is longer than ${max} characters`, { field, max });
  return text;
}

/** Client-chosen ids (a response, an action, a category) are kept as given: they are Map keys, so `constructor` is fine. */
export function localIdMustBeValid(field: string, value: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > TEXT_LIMITS.localId || value.trim() !== value) {
    throw invalid('INVALID_ID', `${field} must be 1 to ${TEXT_LIMITS.localId} characters without outer spaces`, { field });
  }
  return value;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

export function uuidMustBeValid(field: string, value: string): string {
  if (typeof value !== 'string' || !UUID.test(value)) throw invalid('INVALID_ID', `${field} must be a UUID`, { field });
  return value;
}

export function dateMustBeCalendarDate(field: string, value: string): string {
  if (typeof value !== 'string' || !isIsoDate(value)) throw invalid('INVALID_DATE', `${field} must be a calendar date YYYY-MM-DD`, { field, value });
  return value;
}

export function optionalDate(field: string, value: string | null | undefined): string | null {
  return value === null || value === undefined ? null : dateMustBeCalendarDate(field, value);
}

/** The command's own day (UTC): deciders never read a clock. */
export const dayOf = (now: string): string => now.slice(0, 10);

export function dateMustNotBePast(code: string, field: string, value: string, now: string): string {
  dateMustBeCalendarDate(field, value);
  if (value < dayOf(now)) throw invalid(code, `${field} ${value} is in the past`, { field, value, today: dayOf(now) });
  return value;
}

/** Every list a client grows has a cap: a stream's state must stay small enough to fold on every command. */
export function capMustNotBeReached(code: string, what: string, size: number, cap: number): void {
  if (size >= cap) throw invalid(code, `At most ${cap} ${what}`, { cap });
}
