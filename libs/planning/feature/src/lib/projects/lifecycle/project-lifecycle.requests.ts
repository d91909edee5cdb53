import { z } from 'zod';
import { clientIdSchema } from '@pm/platform/http';

const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();
const id = clientIdSchema;

export const renameProjectRequestSchema = z.strictObject({ name: text(200), reason: optionalText(1000) });
export const requestGateRequestSchema = z.strictObject({ gateId: id.optional(), note: optionalText(2000) });
export const approveGateRequestSchema = z.strictObject({ comment: optionalText(2000) }).default({});
export const reasonRequestSchema = z.strictObject({ reason: text(2000) });
export const emptyRequestSchema = z.strictObject({}).default({});
export const scopeRequestSchema = z.strictObject({
  statement: text(10_000),
  inScope: z.array(text(1000)).max(200).optional(),
  outOfScope: z.array(text(1000)).max(200).optional(),
  assumptions: z.array(text(1000)).max(200).optional(),
  constraints: z.array(text(1000)).max(200).optional(),
});
export const objectiveRequestSchema = z.strictObject({
  objectiveId: id.optional(),
  description: text(2000),
  kpis: z
    .array(z.strictObject({ kpiId: id.optional(), name: text(200), target: z.number().finite(), unit: text(50) }))
    .min(1)
    .max(50),
});
export const kpiActualRequestSchema = z.strictObject({ actual: z.number().finite(), measuredOn: z.iso.date() });
export const statusDateRequestSchema = z.strictObject({ statusDate: z.iso.date() });
export const idParamSchema = id;
