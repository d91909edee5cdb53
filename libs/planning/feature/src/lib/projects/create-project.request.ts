import { z } from 'zod';
import { PROJECT_PRIORITIES } from '@pm/contracts';

const isoDate = z.iso.date().describe('YYYY-MM-DD');
const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();

/** POST /projects. Only `name` is required; `.strict()` turns a misspelt field into a 400 instead of silence. */
export const createProjectRequestSchema = z
  .strictObject({
    projectId: z.uuid().optional().describe('Client-chosen id, makes a retried create safe (409 if it exists)'),
    name: z.string().trim().min(1, 'name must not be blank').max(200),
    code: optionalText(32),
    description: optionalText(4000),
    startDate: isoDate.nullable().optional().describe('Planned start (defaults to none)'),
    targetFinishDate: isoDate.nullable().optional(),
    priority: z.enum(PROJECT_PRIORITIES).optional().describe('Defaults to medium'),
    sponsor: optionalText(200).describe("Sponsor's user id; a sponsor may approve phase gates"),
    managerId: optionalText(200),
    currency: z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 code, e.g. EUR').optional().describe('Defaults to EUR'),
    calendarId: optionalText(100),
  })
  .refine((b) => !b.startDate || !b.targetFinishDate || b.targetFinishDate >= b.startDate, {
    message: 'targetFinishDate must not be before startDate',
    path: ['targetFinishDate'],
  });

export type CreateProjectRequest = z.output<typeof createProjectRequestSchema>;
