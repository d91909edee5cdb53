import type { EventDataOf } from '../registry/event-contract';
import { z } from 'zod';
import { defineEventContract } from '../registry/event-contract';
import { isoDateSchema, isoDateTimeSchema, uuidSchema } from '../shared/contract-primitives.schema';

/** Lifecycle, phase-gate and charter events of the Project aggregate (stream `project-<projectId>`). */

const PID = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const idSchema = z.string().min(1).max(100);
const phaseSchema = z.enum(['initiating', 'planning', 'executing', 'closing']);
const holdableSchema = z.enum(['planning', 'executing']);
const actorSchema = z.string().min(1).describe('user:<id>, or the approver id for decisions');
const gateFacts = {
  projectId: uuidSchema,
  gateId: idSchema,
  fromPhase: phaseSchema,
  toPhase: z.enum(['planning', 'executing', 'closing', 'closed']).describe('closed for the closing gate'),
};
const gate = { projectId: PID, gateId: 'gate-1', fromPhase: 'initiating', toPhase: 'planning' } as const;

export const phaseGateRequestedV1 = defineEventContract({
  context: 'planning',
  name: 'PhaseGateRequested',
  version: 1,
  schema: z.strictObject({ ...gateFacts, requestedBy: actorSchema, requestedAt: isoDateTimeSchema, note: z.string().nullable() }),
  description: 'The gate to the next phase was requested; a pmo-admin or the sponsor decides it.',
  example: { ...gate, requestedBy: 'user:pm-1', requestedAt: '2025-07-20T10:00:00.000Z', note: 'Charter signed' },
});

export const phaseGateApprovedV1 = defineEventContract({
  context: 'planning',
  name: 'PhaseGateApproved',
  version: 1,
  schema: z.strictObject({ ...gateFacts, approvedBy: actorSchema, approvedAt: isoDateTimeSchema, comment: z.string().nullable() }),
  description: 'A phase gate was approved; ProjectPhaseAdvanced (or ProjectClosed) follows in the same commit.',
  example: { ...gate, approvedBy: 'sponsor-1', approvedAt: '2025-07-21T10:00:00.000Z', comment: null },
});

export const phaseGateRejectedV1 = defineEventContract({
  context: 'planning',
  name: 'PhaseGateRejected',
  version: 1,
  schema: z.strictObject({ ...gateFacts, rejectedBy: actorSchema, rejectedAt: isoDateTimeSchema, reason: z.string().min(1) }),
  description: 'A phase gate was rejected; the project stays in its phase.',
  example: { ...gate, rejectedBy: 'admin-1', rejectedAt: '2025-07-21T10:00:00.000Z', reason: 'No business case yet' },
});

export const projectPhaseAdvancedV1 = defineEventContract({
  context: 'planning',
  name: 'ProjectPhaseAdvanced',
  version: 1,
  schema: z.strictObject({ projectId: uuidSchema, fromPhase: phaseSchema, toPhase: z.enum(['planning', 'executing', 'closing']), gateId: idSchema, advancedAt: isoDateTimeSchema }),
  description: 'The project moved to its next phase through an approved gate.',
  example: { projectId: PID, fromPhase: 'initiating', toPhase: 'planning', gateId: 'gate-1', advancedAt: '2025-07-21T10:00:00.000Z' },
});

export const projectClosedV1 = defineEventContract({
  context: 'planning',
  name: 'ProjectClosed',
  version: 1,
  schema: z.strictObject({ projectId: uuidSchema, gateId: idSchema, closedAt: isoDateTimeSchema }),
  description: 'The closing gate was approved; the project is closed.',
  example: { projectId: PID, gateId: 'gate-4', closedAt: '2026-07-01T10:00:00.000Z' },
});

export const projectPutOnHoldV1 = defineEventContract({
  context: 'planning',
  name: 'ProjectPutOnHold',
  version: 1,
  schema: z.strictObject({ projectId: uuidSchema, previousStatus: holdableSchema, reason: z.string().min(1), heldBy: actorSchema, heldAt: isoDateTimeSchema }),
  description: 'The project was put on hold from planning or executing.',
  example: { projectId: PID, previousStatus: 'executing', reason: 'Budget freeze', heldBy: 'user:pm-1', heldAt: '2025-10-01T09:00:00.000Z' },
});

export const projectResumedV1 = defineEventContract({
  context: 'planning',
  name: 'ProjectResumed',
  version: 1,
  schema: z.strictObject({ projectId: uuidSchema, resumedTo: holdableSchema, resumedBy: actorSchema, resumedAt: isoDateTimeSchema }),
  description: 'A project on hold resumed in the phase it was interrupted in.',
  example: { projectId: PID, resumedTo: 'executing', resumedBy: 'user:pm-1', resumedAt: '2025-11-03T09:00:00.000Z' },
});

export const projectCancelledV1 = defineEventContract({
  context: 'planning',
  name: 'ProjectCancelled',
  version: 1,
  schema: z.strictObject({
    projectId: uuidSchema,
    previousStatus: z.enum(['initiating', 'planning', 'executing', 'closing', 'on-hold']),
    reason: z.string().min(1),
    cancelledBy: actorSchema,
    cancelledAt: isoDateTimeSchema,
  }),
  description: 'The project was cancelled.',
  example: { projectId: PID, previousStatus: 'on-hold', reason: 'Merged into the HR programme', cancelledBy: 'user:admin-1', cancelledAt: '2025-11-10T09:00:00.000Z' },
});

const kpiSchema = z.strictObject({ kpiId: idSchema, name: z.string().min(1), target: z.number(), unit: z.string().min(1) });

export const objectiveDefinedV1 = defineEventContract({
  context: 'planning',
  name: 'ObjectiveDefined',
  version: 1,
  schema: z.strictObject({ projectId: uuidSchema, objectiveId: idSchema, description: z.string().min(1), kpis: z.array(kpiSchema), definedAt: isoDateTimeSchema }),
  description: 'An objective with measurable KPIs (target and unit) was defined for the project.',
  example: { projectId: PID, objectiveId: 'obj-1', description: 'Cheaper payroll runs', kpis: [{ kpiId: 'cost-per-run', name: 'Cost per run', target: 200, unit: 'EUR' }], definedAt: '2025-07-22T09:00:00.000Z' },
});

export const kpiActualRecordedV1 = defineEventContract({
  context: 'planning',
  name: 'KpiActualRecorded',
  version: 1,
  schema: z.strictObject({ projectId: uuidSchema, objectiveId: idSchema, kpiId: idSchema, actual: z.number(), measuredOn: isoDateSchema, recordedAt: isoDateTimeSchema }),
  description: 'The actual value of a KPI as measured on a date.',
  example: { projectId: PID, objectiveId: 'obj-1', kpiId: 'cost-per-run', actual: 240, measuredOn: '2026-02-01', recordedAt: '2026-02-02T09:00:00.000Z' },
});

export const scopeStatementDefinedV1 = defineEventContract({
  context: 'planning',
  name: 'ScopeStatementDefined',
  version: 1,
  schema: z.strictObject({
    projectId: uuidSchema,
    statement: z.string().min(1),
    inScope: z.array(z.string()),
    outOfScope: z.array(z.string()),
    assumptions: z.array(z.string()),
    constraints: z.array(z.string()),
    definedAt: isoDateTimeSchema,
  }),
  description: 'The scope statement was (re)defined, before execution.',
  example: { projectId: PID, statement: 'Replace the payroll engine', inScope: ['UK payroll'], outOfScope: ['Pensions'], assumptions: [], constraints: ['Go live before April'], definedAt: '2025-07-22T09:00:00.000Z' },
});

export const projectStatusDateSetV1 = defineEventContract({
  context: 'planning',
  name: 'ProjectStatusDateSet',
  version: 1,
  schema: z.strictObject({ projectId: uuidSchema, statusDate: isoDateSchema, setAt: isoDateTimeSchema }),
  description: "The project's status date (the date progress is reported up to) was set.",
  example: { projectId: PID, statusDate: '2025-10-31', setAt: '2025-11-01T08:00:00.000Z' },
});

declare module '../registry/event-catalogue.types' {
  interface LatestEventDataByType {
    'pm.planning.PhaseGateRequested': EventDataOf<typeof phaseGateRequestedV1>;
    'pm.planning.PhaseGateApproved': EventDataOf<typeof phaseGateApprovedV1>;
    'pm.planning.PhaseGateRejected': EventDataOf<typeof phaseGateRejectedV1>;
    'pm.planning.ProjectPhaseAdvanced': EventDataOf<typeof projectPhaseAdvancedV1>;
    'pm.planning.ProjectClosed': EventDataOf<typeof projectClosedV1>;
    'pm.planning.ProjectPutOnHold': EventDataOf<typeof projectPutOnHoldV1>;
    'pm.planning.ProjectResumed': EventDataOf<typeof projectResumedV1>;
    'pm.planning.ProjectCancelled': EventDataOf<typeof projectCancelledV1>;
    'pm.planning.ObjectiveDefined': EventDataOf<typeof objectiveDefinedV1>;
    'pm.planning.KpiActualRecorded': EventDataOf<typeof kpiActualRecordedV1>;
    'pm.planning.ScopeStatementDefined': EventDataOf<typeof scopeStatementDefinedV1>;
    'pm.planning.ProjectStatusDateSet': EventDataOf<typeof projectStatusDateSetV1>;
  }
}
