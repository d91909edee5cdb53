import { invalid } from '@pm/shared/ddd';

/** Rules every aggregate of the context applies to what a client sends, so a decided event always meets its contract. */

/** The contracts' limits (libs/contracts/src/notification): a longer text would be refused at append. */
export const TEXT_LIMITS = { title: 200, comment: 10_000, description: 500, userId: 200, localId: 100 } as const;
export type TextKind = keyof typeof TEXT_LIMITS;

/** Text as the contracts take it: trimmed, within its kind's limit; blank is absent (null) or, when required, refused. */
function textOf(field: string, value: unknown, kind: TextKind, required: boolean): string | null {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text === '' && required) throw invalid('TEXT_REQUIRED', `${field} is required`, { field });
  if (text.length > TEXT_LIMITS[kind]) throw invalid('TEXT_TOO_LONG', `${field} is longer than ${TEXT_LIMITS[kind]} characters`, { field, max: TEXT_LIMITS[kind] });
  return text === '' ? null : text;
}

export const requiredText = (field: string, value: string | null | undefined, kind: TextKind): string => textOf(field, value, kind, true) as string;
export const optionalText = (field: string, value: string | null | undefined, kind: TextKind): string | null => textOf(field, value, kind, false);

const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/**
 * Ids are kept exactly as given: client-chosen ids and user ids are Map keys and Set members, so `constructor` is one
 * like any other; aggregate ids are UUIDs.
 */
export function idMustBeValid(field: string, value: string, kind: 'localId' | 'userId' | 'uuid' = 'localId'): string {
  const fits = typeof value === 'string' && (kind === 'uuid' ? UUID_SHAPE.test(value) : value.length >= 1 && value.length <= TEXT_LIMITS[kind] && value.trim() === value);
  if (fits) return value;
  const rule = kind === 'uuid' ? 'a UUID' : `1 to ${TEXT_LIMITS[kind]} characters without outer spaces`;
  throw invalid('INVALID_ID', `${field} must be ${rule}`, { field });
}

export const uuidMustBeValid = (field: string, value: string): string => idMustBeValid(field, value, 'uuid');

/** Every list a client grows has a cap, so a stream's state stays small enough to fold on every command. */
export const capMustNotBeReached = (code: string, what: string, size: number, cap: number): void => {
  if (size >= cap) throw invalid(code, `At most ${cap} ${what}`, { cap });
};

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
// The actor is written `user:` + the percent-encoded subject (actorOf in request-context), so a subject such as the
// dev sign-in's `project-manager@demo` is `user:project-manager%40demo`; compare in that form.
export const actorIsUser = (actor: string, userId: string): boolean => actor === `user:${encodeURIComponent(userId)}`;

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export const severityRank = (severity: string): number => SEVERITIES.indexOf(severity as (typeof SEVERITIES)[number]);

export function severityMustBeValid(value: string): (typeof SEVERITIES)[number] {
  if (severityRank(value) < 0) throw invalid('SEVERITY_INVALID', 'Severity is low, medium, high or critical', { value: String(value).slice(0, 20) });
  return value as (typeof SEVERITIES)[number];
}

export const addMinutes = (iso: string, minutes: number): string => new Date(Date.parse(iso) + minutes * 60_000).toISOString();
