import type { IsoDate } from '@pm/shared/scheduling';

/*
 * Plan dates (`YYYY-MM-DD`) and their day arithmetic come from @pm/shared/scheduling, one implementation for
 * every context; what is left here is planning's own.
 */

const DATE_TIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

export const isIsoDateTime = (value: unknown): value is string =>
  typeof value === 'string' && DATE_TIME_PATTERN.test(value) && !Number.isNaN(Date.parse(value));

export const compareIsoDates = (a: IsoDate, b: IsoDate): number => (a < b ? -1 : a > b ? 1 : 0);
