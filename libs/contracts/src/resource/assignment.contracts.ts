import { z } from 'zod';
import { defineEventContract } from '../registry/event-contract';
import { isoDateTimeSchema, uuidSchema } from '../shared/contract-primitives.schema';
import {
  EXAMPLE_ASSIGNMENT_ID,
  EXAMPLE_PROJECT_ID,
  EXAMPLE_RESOURCE_ID,
  assignmentLoadSchema,
  overallocatedPeriodSchema,
  planningTaskIdSchema,
  resourceIdSchema,
  resourceKindSchema,
  shortText,
} from './resource-primitives.schema';

/** Assignments (stream `assignment-<id>`) and over-allocation findings (stream `allocation-<resourceId>`). */

const assignmentIdSchema = uuidSchema.describe('Assignment id');
const SECOND_RESOURCE_ID = '6c2e8d4f-9a3b-4d7c-8e1f-2b3c4d5e6f70';

export const resourceAssignedV1Schema = z.strictObject({
  assignmentId: assignmentIdSchema,
  resourceId: resourceIdSchema,
  resourceKind: resourceKindSchema,
  projectId: uuidSchema,
  taskId: planningTaskIdSchema,
  load: assignmentLoadSchema,
  assignedAt: isoDateTimeSchema,
});
export type ResourceAssignedV1 = z.output<typeof resourceAssignedV1Schema>;
export const resourceAssignedV1 = defineEventContract({
  context: 'resource',
  name: 'ResourceAssigned',
  version: 1,
  schema: resourceAssignedV1Schema,
  description: 'A resource was assigned to a planning task, by units (share of each working day) or by work (total minutes).',
  example: {
    assignmentId: EXAMPLE_ASSIGNMENT_ID,
    resourceId: EXAMPLE_RESOURCE_ID,
    resourceKind: 'generic',
    projectId: EXAMPLE_PROJECT_ID,
    taskId: 'build',
    load: { kind: 'units', percent: 50 },
    assignedAt: '2025-07-14T09:30:00.000Z',
  },
});

export const assignmentLoadRevisedV1Schema = z.strictObject({
  assignmentId: assignmentIdSchema,
  resourceId: resourceIdSchema,
  load: assignmentLoadSchema,
  previousLoad: assignmentLoadSchema,
  revisedAt: isoDateTimeSchema,
});
export type AssignmentLoadRevisedV1 = z.output<typeof assignmentLoadRevisedV1Schema>;
export const assignmentLoadRevisedV1 = defineEventContract({
  context: 'resource',
  name: 'AssignmentLoadRevised',
  version: 1,
  schema: assignmentLoadRevisedV1Schema,
  description: 'The units or work of an assignment were re-estimated.',
  example: {
    assignmentId: EXAMPLE_ASSIGNMENT_ID,
    resourceId: EXAMPLE_RESOURCE_ID,
    load: { kind: 'work', minutes: 2400 },
    previousLoad: { kind: 'units', percent: 50 },
    revisedAt: '2025-07-21T09:30:00.000Z',
  },
});

export const assignedResourceReplacedV1Schema = z.strictObject({
  assignmentId: assignmentIdSchema,
  previousResourceId: resourceIdSchema,
  previousResourceKind: resourceKindSchema,
  resourceId: resourceIdSchema,
  taskId: planningTaskIdSchema,
  replacedAt: isoDateTimeSchema,
});
export type AssignedResourceReplacedV1 = z.output<typeof assignedResourceReplacedV1Schema>;
export const assignedResourceReplacedV1 = defineEventContract({
  context: 'resource',
  name: 'AssignedResourceReplaced',
  version: 1,
  schema: assignedResourceReplacedV1Schema,
  description: 'A named person took over an assignment (typically staffing a role placeholder); the previous holder stays in the history.',
  example: {
    assignmentId: EXAMPLE_ASSIGNMENT_ID,
    previousResourceId: EXAMPLE_RESOURCE_ID,
    previousResourceKind: 'generic',
    resourceId: SECOND_RESOURCE_ID,
    taskId: 'build',
    replacedAt: '2025-07-28T09:30:00.000Z',
  },
});

export const assignmentRemovedV1Schema = z.strictObject({
  assignmentId: assignmentIdSchema,
  resourceId: resourceIdSchema,
  taskId: planningTaskIdSchema,
  reason: shortText(500).nullable(),
  removedAt: isoDateTimeSchema,
});
export type AssignmentRemovedV1 = z.output<typeof assignmentRemovedV1Schema>;
export const assignmentRemovedV1 = defineEventContract({
  context: 'resource',
  name: 'AssignmentRemoved',
  version: 1,
  schema: assignmentRemovedV1Schema,
  description: 'An assignment was withdrawn; its demand no longer counts.',
  example: { assignmentId: EXAMPLE_ASSIGNMENT_ID, resourceId: SECOND_RESOURCE_ID, taskId: 'build', reason: 'Descoped', removedAt: '2025-08-04T09:30:00.000Z' },
});

export const resourceOverallocatedV1Schema = z.strictObject({
  resourceId: resourceIdSchema,
  periods: z.array(overallocatedPeriodSchema).min(1).describe('Every period currently over-allocated, sorted by date: replaces the previous list'),
  totalMinutesOver: z.number().int().positive(),
  detectedAt: isoDateTimeSchema,
});
export type ResourceOverallocatedV1 = z.output<typeof resourceOverallocatedV1Schema>;
export const resourceOverallocatedV1 = defineEventContract({
  context: 'resource',
  name: 'ResourceOverallocated',
  version: 1,
  schema: resourceOverallocatedV1Schema,
  description: 'Demand exceeds capacity for a resource in one or more periods; published when the findings change, never twice for the same findings.',
  example: {
    resourceId: EXAMPLE_RESOURCE_ID,
    periods: [{ from: '2025-09-08', to: '2025-09-12', minutesOver: 1200, taskIds: ['build', 'test'] }],
    totalMinutesOver: 1200,
    detectedAt: '2025-09-01T08:00:01.000Z',
  },
});

export const overallocationResolvedV1Schema = z.strictObject({
  resourceId: resourceIdSchema,
  resolvedPeriods: z.array(overallocatedPeriodSchema).min(1),
  stillOverallocated: z.boolean().describe('True when other periods remain over-allocated (a ResourceOverallocated follows)'),
  resolvedAt: isoDateTimeSchema,
});
export type OverallocationResolvedV1 = z.output<typeof overallocationResolvedV1Schema>;
export const overallocationResolvedV1 = defineEventContract({
  context: 'resource',
  name: 'OverallocationResolved',
  version: 1,
  schema: overallocationResolvedV1Schema,
  description: 'Periods previously reported as over-allocated no longer are.',
  example: {
    resourceId: EXAMPLE_RESOURCE_ID,
    resolvedPeriods: [{ from: '2025-09-08', to: '2025-09-12', minutesOver: 1200, taskIds: ['build', 'test'] }],
    stillOverallocated: false,
    resolvedAt: '2025-09-03T08:00:01.000Z',
  },
});

declare module '../registry/event-catalogue.types' {
  interface LatestEventDataByType {
    'pm.resource.ResourceAssigned': ResourceAssignedV1;
    'pm.resource.AssignmentLoadRevised': AssignmentLoadRevisedV1;
    'pm.resource.AssignedResourceReplaced': AssignedResourceReplacedV1;
    'pm.resource.AssignmentRemoved': AssignmentRemovedV1;
    'pm.resource.ResourceOverallocated': ResourceOverallocatedV1;
    'pm.resource.OverallocationResolved': OverallocationResolvedV1;
  }
}
