import { invalid } from '@pm/shared/ddd';

/** Rules every aggregate of the context applies to what a client sends, so a decided event always meets its contract. */

/** The contracts' limits (libs/contracts/src/notification): a longer text would be refused at append. */
export const TEXT_LIMITS = { title: 200, comment: 10_000, description: 500, userId: 200, localId: 100 } as const;
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

/** Client-chosen ids and user ids are kept as given: they are Map keys and Set members, so `constructor` is fine. */
export function idMustBeValid(field: string, value: string, kind: 'localId' | 'userId' = 'localId'): string {
  const max = TEXT_LIMITS[kind];
  if (typeof value !== 'string' || value.length === 0 || value.length > max || value.trim() !== value) {
    throw invalid('INVALID_ID', `${field} must be 1 to ${max} characters without outer spaces`, { field });
  }
  return value;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

export function uuidMustBeValid(field: string, value: string): string {
  if (typeof value !== 'string' || !UUID.test(value)) throw invalid('INVALID_ID', `${field} must be a UUID`, { field });
  return value;
}

/** Every list a client grows has a cap: a stream's state must stay small enough to fold on every command. */
export function capMustNotBeReached(code: string, what: string, size: number, cap: number): void {
  if (size >= cap) throw invalid(code, `At most ${cap} ${what}`, { cap });
}

const EVENT_TYPE_FILTER = /^pm\.[a-z]+\.(?:\*|[A-Z][A-Za-z0-9]*)$/;
export const MAX_EVENT_TYPE_FILTERS = 50;

/** Event-type filters: `pm.<context>.<Name>` or `pm.<context>.*`, each once, at most 50, in the order given. */
export function eventTypeFiltersMustBeValid(values: readonly string[]): string[] {
  if (!Array.isArray(values) || values.length === 0) throw invalid('EVENT_TYPES_REQUIRED', 'Name at least one event type');
  if (values.length > MAX_EVENT_TYPE_FILTERS) throw invalid('EVENT_TYPES_LIMIT', `At most ${MAX_EVENT_TYPE_FILTERS} event types`, { cap: MAX_EVENT_TYPE_FILTERS });
  const unique = new Set<string>();
  for (const value of values) {
    if (typeof value !== 'string' || value.length > 120 || !EVENT_TYPE_FILTER.test(value)) {
      throw invalid('EVENT_TYPE_INVALID', 'An event type is pm.<context>.<EventName> or pm.<context>.*', { value: String(value).slice(0, 120) });
    }
    unique.add(value);
  }
  return [...unique];
}

/** Does a filter (`pm.risk.RiskAssessed`, `pm.risk.*`) take an event type? */
export function filterMatches(filter: string, eventType: string): boolean {
  return filter.endsWith('.*') ? eventType.startsWith(filter.slice(0, -1)) : filter === eventType;
}

/** `user:<id>` is how a person appears as the actor of a command (CommandMetadata.actor). */
export const actorIsUser = (actor: string, userId: string): boolean => actor === `user:${userId}`;

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export const severityRank = (severity: string): number => SEVERITIES.indexOf(severity as (typeof SEVERITIES)[number]);

export function severityMustBeValid(value: string): (typeof SEVERITIES)[number] {
  if (severityRank(value) < 0) throw invalid('SEVERITY_INVALID', 'Severity is low, medium, high or critical', { value: String(value).slice(0, 20) });
  return value as (typeof SEVERITIES)[number];
}

export const addMinutes = (iso: string, minutes: number): string => new Date(Date.parse(iso) + minutes * 60_000).toISOString();
