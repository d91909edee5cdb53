import { z } from 'zod';
import { clientIdSchema } from '@pm/platform/http';
import { isoDate, pageQuery, person, requiredText, riskRating, uuidParam } from '../shared/request-schemas';

const kind = z.enum(['threat', 'opportunity']);
const status = z.enum(['identified', 'assessed', 'responding', 'monitoring', 'closed', 'occurred']);

export const identifyRiskRequest = z.strictObject({
  riskId: uuidParam.optional().describe('Client-chosen id makes a retried identification safe'),
  kind,
  title: requiredText(200),
  cause: requiredText(2000).describe('Because of <cause> …'),
  event: requiredText(2000).describe('… <uncertain event> may occur …'),
  effect: requiredText(2000).describe('… which would lead to <effect on objectives>'),
  categoryId: clientIdSchema.describe("A category of the tenant's risk breakdown structure"),
  ownerId: person.nullable().optional(),
  proximity: isoDate.nullable().optional().describe('When the risk could occur, if known'),
  triggers: z.array(requiredText(500)).max(20).optional(),
});
export type IdentifyRiskRequest = z.output<typeof identifyRiskRequest>;

const level = z.number().int().min(1).max(5);
const dimensionLevels = z
  .strictObject({
    schedule: z.strictObject({ probability: level, impact: level }).optional(),
    cost: z.strictObject({ probability: level, impact: level }).optional(),
    scope: z.strictObject({ probability: level, impact: level }).optional(),
    quality: z.strictObject({ probability: level, impact: level }).optional(),
  })
  .describe('Probability and impact (1–5) of each dimension the risk touches');

const currency = z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 code, e.g. EUR');
/** What the risk costs (threat) or saves (opportunity) if it occurs; its EMV uses the cost dimension's probability (ADR 0304). */
const costImpact = z
  .strictObject({ amountMinor: z.number().int().min(1).max(1_000_000_000_000).describe('Positive, in minor units (cents)'), currency })
  .describe('Cost impact in money if the risk occurs; needs the cost dimension assessed. null or absent: no money figure');

export const assessRequest = z.strictObject({
  inherent: dimensionLevels,
  residual: dimensionLevels.nullable().optional().describe('After the planned responses'),
  costImpact: costImpact.nullable().optional(),
});
export const statusRequest = z.strictObject({ to: z.enum(['responding', 'monitoring', 'closed']), reason: requiredText(1000).nullable().optional() });
export const ownerRequest = z.strictObject({ ownerId: person });
export const reviewRequest = z.strictObject({ reviewOn: isoDate.describe('Overdue from the end of that day (UTC) unless a new review date is set first') });
export const occurrenceRequest = z.strictObject({
  occurredOn: isoDate,
  description: requiredText(2000),
  issueId: uuidParam.optional().describe('Id of the issue the occurrence raises (client-chosen makes a retry safe)'),
  severity: riskRating.optional().describe("The issue's severity; the risk's rating by default"),
  dueOn: isoDate.nullable().optional().describe("The issue's due date"),
});
export const responseRequest = z.strictObject({
  responseId: clientIdSchema.optional(),
  strategy: z.enum(['avoid', 'mitigate', 'transfer', 'accept', 'escalate', 'exploit', 'enhance', 'share']),
  description: requiredText(2000),
});
export const actionRequest = z.strictObject({
  actionId: clientIdSchema.optional(),
  description: requiredText(2000),
  ownerId: person,
  dueOn: isoDate.describe('Overdue from the end of that day (UTC) unless completed first'),
  cost: z
    .strictObject({ amountMinor: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), currency })
    .nullable()
    .optional(),
});
const delayDays = z.number().min(0).max(1000);
/** The plan's tasks a threat delays if it occurs (ADR 0305): the whole link, replacing the previous one. */
export const scheduleImpactRequest = z.strictObject({
  tasks: z
    .array(
      z.strictObject({
        taskId: clientIdSchema.describe("A work task of the project's schedule (planning's task id)"),
        delayDays: z
          .strictObject({ min: delayDays, mostLikely: delayDays, max: delayDays })
          .describe('Working days the task takes longer if the risk occurs: 0 <= min <= mostLikely <= max <= 1000, max above 0 (the decider names a bad order)'),
      }),
    )
    .max(50)
    .describe('At most 50 tasks, each once; an empty list clears the link'),
});
export const completionRequest = z.strictObject({ note: requiredText(1000).nullable().optional() });

export const listRisksQuery = z.strictObject({
  status: status.optional(),
  kind: kind.optional(),
  rating: riskRating.optional(),
  categoryId: clientIdSchema.optional(),
  ownerId: z.string().min(1).max(200).optional(),
  origin: z.enum(['manual', 'automatic']).optional().describe('manual: identified by a person; automatic: raised by a rule (ADR 0303)'),
  ...pageQuery,
});
