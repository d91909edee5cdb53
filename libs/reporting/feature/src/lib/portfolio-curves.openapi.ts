import { z } from 'zod';
import type { ResponseObject } from '@nestjs/swagger';
import { zodToOpenApi } from '@pm/platform/http';

/** Response bodies of the S-curve and milestone-trend views (ADR 0501), for the OpenAPI document. */
const date = z.string().describe('YYYY-MM-DD');
const amount = z.number().nullable();
const currentTo = z
  .object({ eventId: z.string(), streamVersion: z.number().int(), recordedAt: z.string() })
  .nullable()
  .describe('The last event the answer includes (at or before asOf); null while there is none');
const interval = z.enum(['week', 'month']).describe('The periods of the answer: ISO weeks ending on Sunday, or calendar months. A curve published by month (a baseline over 260 weeks) answers by month even when weeks were asked');
const truncated = z.boolean().describe('True when more than 1,200 periods span the data: the earliest were left out');

export const projectSCurveView = z.object({
  asOf: z.string().nullable(),
  currentTo,
  projectId: z.uuid(),
  currency: z.string().nullable().describe('ISO 4217 code of every amount'),
  interval,
  truncated,
  points: z.array(
    z.object({
      periodEnd: date.describe('Last day of the period (a Sunday, or a month end)'),
      pv: amount.describe('Cumulative planned value of the baseline valid at asOf at the period end (a weekly curve by month: its last Sunday in the month); 0 before the baseline, BAC after it; null without v3 figures'),
      ev: amount.describe('Cumulative earned value at the latest status date at or before the period end; null before the first, and past the period of the last, status date'),
      ac: amount.describe('Cumulative actual cost at that status date'),
      statusDate: date.nullable().describe('The status date EV and AC were measured at'),
    }),
  ),
});

export const portfolioSCurveView = z.object({
  asOf: z.string().nullable(),
  currentTo,
  interval,
  truncated,
  curves: z.array(
    z.object({
      currency: z.string().describe('One curve per currency: amounts of two currencies are never added'),
      projects: z.number().int().describe('Projects of this currency in the portfolio at asOf'),
      points: z.array(
        z.object({
          periodEnd: date,
          pv: amount,
          ev: amount,
          ac: amount,
          measuredProjects: z.number().int().describe('Projects whose EV and AC are in the sums of this period'),
        }),
      ),
    }),
  ),
});

export const milestoneTrendView = z.object({
  asOf: z.string().nullable(),
  currentTo,
  projectId: z.uuid(),
  statusDates: z.array(date).describe('Every status date recorded up to asOf (the latest 520), ascending'),
  truncated: z.boolean().describe('True when more than 520 status dates exist: the earliest were left out'),
  milestones: z.array(
    z.object({
      taskId: z.string(),
      name: z.string(),
      baselineFinish: date,
      forecasts: z.array(z.object({ statusDate: date, forecastFinish: date, slipDays: z.number().int(), achieved: z.boolean() })),
    }),
  ),
});

/** JSON by default; `?format=csv`: the same rows as CSV (RFC 4180, formula-guarded), asOf and currentTo in headers. */
export function jsonOrCsv(view: z.ZodType, csvColumns: readonly string[]): NonNullable<ResponseObject['content']> {
  return {
    'application/json': { schema: zodToOpenApi(view) },
    'text/csv': { schema: { type: 'string', description: `With ?format=csv. Columns: ${csvColumns.join(', ')}` } },
  };
}

export const CSV_HEADERS = {
  'x-as-of': { description: 'With ?format=csv: the asOf instant of the answer (absent: now)', schema: { type: 'string' } },
  'x-current-to': { description: 'With ?format=csv: the last event the answer includes, `<eventId>;streamVersion=<n>;recordedAt=<instant>` (absent: none)', schema: { type: 'string' } },
} as const;
