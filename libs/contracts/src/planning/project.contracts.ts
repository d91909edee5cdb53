import { z } from 'zod';
import { registerUpcaster } from '../registry/contract.registry';
import { defineEventContract } from '../registry/event-contract';
import {
  currencyCodeSchema,
  isoDateSchema,
  isoDateTimeSchema,
  trimmedText,
  uuidSchema,
} from '../shared/contract-primitives.schema';

/** Events of the Project aggregate, published by planning-service on pm.planning.events. */

export const PROJECT_PRIORITIES = ['low', 'medium', 'high', 'critical'] as const;

const projectNameSchema = trimmedText(200);

export const projectCreatedV1Schema = z
  .strictObject({
    projectId: uuidSchema,
    name: projectNameSchema,
    code: trimmedText(32).nullable().describe('Short code the PMO uses, e.g. ERP-2025-07'),
    description: z.string().max(4000).nullable(),
    startDate: isoDateSchema.nullable(),
    targetFinishDate: isoDateSchema.nullable().describe('Calendar date, YYYY-MM-DD; not before startDate'),
    status: z.literal('initiating').describe('Every project starts in initiating'),
    priority: z.enum(PROJECT_PRIORITIES),
    sponsor: z.string().trim().min(1).nullable(),
    managerId: z.string().min(1).nullable(),
    currency: currencyCodeSchema,
    calendarId: z.string().min(1).nullable(),
    createdAt: isoDateTimeSchema,
  })
  .refine(
    // YYYY-MM-DD strings order like the dates they name.
    (project) => project.startDate === null || project.targetFinishDate === null || project.targetFinishDate >= project.startDate,
    { path: ['targetFinishDate'], message: 'targetFinishDate must not be before startDate' },
  );

export type ProjectCreatedV1 = z.output<typeof projectCreatedV1Schema>;

export const projectCreatedV1 = defineEventContract({
  context: 'planning',
  name: 'ProjectCreated',
  version: 1,
  schema: projectCreatedV1Schema,
  description: 'A project was registered in the portfolio; it starts in the initiating status.',
  example: {
    projectId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
    name: 'ERP migration',
    code: 'ERP-2025',
    description: 'Move finance and procurement to the new ERP.',
    startDate: '2025-09-01',
    targetFinishDate: '2026-06-30',
    status: 'initiating',
    priority: 'high',
    sponsor: 'CFO office',
    managerId: 'b3f1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
    currency: 'EUR',
    calendarId: null,
    createdAt: '2025-07-14T09:30:00.000Z',
  },
});

export const projectRenamedV1Schema = z.strictObject({
  projectId: uuidSchema,
  name: projectNameSchema,
});

export type ProjectRenamedV1 = z.output<typeof projectRenamedV1Schema>;

export const projectRenamedV1 = defineEventContract({
  context: 'planning',
  name: 'ProjectRenamed',
  version: 1,
  schema: projectRenamedV1Schema,
  description: 'A project got a new name. Superseded by v2, which also carries the previous name and a reason.',
  example: { projectId: '7c9e6679-7425-40de-944b-e07fc1f90ae7', name: 'ERP consolidation' },
});

export const projectRenamedV2Schema = z.strictObject({
  projectId: uuidSchema,
  name: projectNameSchema,
  previousName: projectNameSchema.nullable().describe('Null for events recorded before v2 existed'),
  reason: trimmedText(1000).nullable(),
});

export type ProjectRenamedV2 = z.output<typeof projectRenamedV2Schema>;

export const projectRenamedV2 = defineEventContract({
  context: 'planning',
  name: 'ProjectRenamed',
  version: 2,
  schema: projectRenamedV2Schema,
  description: 'A project got a new name; carries the previous name so read models need no lookup.',
  example: {
    projectId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
    name: 'ERP consolidation',
    previousName: 'ERP migration',
    reason: 'Scope now covers both subsidiaries.',
  },
});

/** v1 events never recorded the previous name or a reason, and they cannot be recovered from the event alone. */
export function upcastProjectRenamedV1ToV2(event: ProjectRenamedV1): ProjectRenamedV2 {
  return { projectId: event.projectId, name: event.name, previousName: null, reason: null };
}

registerUpcaster(projectRenamedV1.type, 1, upcastProjectRenamedV1ToV2);

declare module '../registry/event-catalogue.types' {
  interface LatestEventDataByType {
    'pm.planning.ProjectCreated': ProjectCreatedV1;
    'pm.planning.ProjectRenamed': ProjectRenamedV2;
  }
}
