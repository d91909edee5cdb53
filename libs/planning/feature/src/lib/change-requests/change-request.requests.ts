import { z } from 'zod';
import { proposedScheduleChangeSchemaOf } from '@pm/contracts';
import { constraintRequestSchema, entityIdSchema, taskNameRequestSchema } from '../schedule/schedule.requests';

/** The plan changes a change request may propose: the contract's shapes, with the edge's stricter ids, names and constraint rule. */
export const proposedChangeSchema = proposedScheduleChangeSchemaOf({
  taskId: entityIdSchema,
  dependencyId: entityIdSchema,
  name: taskNameRequestSchema,
  constraint: constraintRequestSchema,
});

export const raiseChangeRequestSchema = z.strictObject({
  changeRequestId: z.uuid().optional(),
  title: z.string().trim().min(1).max(200),
  description: z.string().trim().min(1).max(10_000),
  proposedChanges: z.array(proposedChangeSchema).min(1).max(500),
  rebaselineAs: z.number().int().min(0).max(10).nullable().optional(),
});
export type RaiseChangeRequestBody = z.output<typeof raiseChangeRequestSchema>;

export const assessChangeRequestSchema = z.strictObject({ notes: z.string().trim().max(4000).nullable().optional() }).default({});
export const approveChangeRequestSchema = z.strictObject({ comment: z.string().trim().max(4000).nullable().optional() }).default({});
export const rejectChangeRequestSchema = z.strictObject({ reason: z.string().trim().min(1).max(4000) });
export const withdrawChangeRequestSchema = z.strictObject({ reason: z.string().trim().max(4000).nullable().optional() }).default({});
export const emptyBodySchema = z.strictObject({}).default({});
