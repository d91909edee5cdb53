import { z } from 'zod';
import { defineEventContract } from '../registry/event-contract';
import { isoDateSchema, isoDateTimeSchema } from '../shared/contract-primitives.schema';
import { EXAMPLE_RISK_ID, EXAMPLE_RISK_PROJECT_ID, personIdSchema, riskActorSchema, riskIdSchema, riskLocalIdSchema, riskProjectIdSchema } from './risk-primitives.schema';

/**
 * Due dates of the Risk aggregate (stream `risk:<tenant>:<riskId>`) that passed: raised by the risk service's durable
 * scheduler at the due moment (ADR 0302: the end of the first working day on or after the due date on the tenant's
 * calendar, in the tenant's time zone) when the review or the action is still pending.
 */

const ofRisk = { riskId: riskIdSchema, projectId: riskProjectIdSchema };
const ids = { riskId: EXAMPLE_RISK_ID, projectId: EXAMPLE_RISK_PROJECT_ID };

export const riskReviewOverdueV1Schema = z.strictObject({
  ...ofRisk,
  reviewOn: isoDateSchema.describe('The review date that passed (RiskReviewScheduled)'),
  ownerId: personIdSchema.nullable().describe('Who should have reviewed it: the risk owner, if any'),
  flaggedBy: riskActorSchema.describe('service:risk-service'),
  flaggedAt: isoDateTimeSchema.describe('When the scheduler found the review still pending'),
});
export type RiskReviewOverdueV1 = z.output<typeof riskReviewOverdueV1Schema>;
export const riskReviewOverdueV1 = defineEventContract({
  context: 'risk',
  name: 'RiskReviewOverdue',
  version: 1,
  schema: riskReviewOverdueV1Schema,
  description: 'The review date of an open risk passed with no new review scheduled (its due moment on the tenant’s calendar, ADR 0302).',
  example: { ...ids, reviewOn: '2026-04-01', ownerId: 'user:owner-1', flaggedBy: 'service:risk-service', flaggedAt: '2026-04-02T00:00:00.000Z' },
});

export const mitigationActionOverdueV1Schema = z.strictObject({
  ...ofRisk,
  responseId: riskLocalIdSchema,
  actionId: riskLocalIdSchema,
  ownerId: personIdSchema,
  dueOn: isoDateSchema,
  flaggedBy: riskActorSchema.describe('service:risk-service'),
  flaggedAt: isoDateTimeSchema.describe('When the scheduler found the action still open'),
});
export type MitigationActionOverdueV1 = z.output<typeof mitigationActionOverdueV1Schema>;
export const mitigationActionOverdueV1 = defineEventContract({
  context: 'risk',
  name: 'MitigationActionOverdue',
  version: 1,
  schema: mitigationActionOverdueV1Schema,
  description: 'A mitigation action of an open risk passed its due date without being completed (its due moment on the tenant’s calendar, ADR 0302).',
  example: { ...ids, responseId: 'second-supplier', actionId: 'rfq', ownerId: 'user:buyer-1', dueOn: '2026-03-20', flaggedBy: 'service:risk-service', flaggedAt: '2026-03-21T00:00:00.000Z' },
});

declare module '../registry/event-catalogue.types' {
  interface LatestEventDataByType {
    'pm.risk.RiskReviewOverdue': RiskReviewOverdueV1;
    'pm.risk.MitigationActionOverdue': MitigationActionOverdueV1;
  }
}

/**
 * The tenant's time zone for due dates (stream `risk-due-settings:<tenant>:default`, ADR 0302 "Due moment"): planning's
 * tenant calendar names working days but no zone, so the day a review or action is due ends at midnight there.
 */
export const dueTimeZoneSetV1Schema = z.strictObject({
  timeZone: z
    .string()
    .min(1)
    .max(64)
    .regex(/^(?:UTC|[A-Z][A-Za-z_+-]*(?:\/[A-Za-z0-9_+-]+){1,2})$/, 'An IANA time zone such as Europe/Berlin, or UTC')
    .describe('IANA time zone'),
  previousTimeZone: z.string().min(1).max(64).describe('UTC until the tenant set one'),
  setBy: riskActorSchema,
  setAt: isoDateTimeSchema,
});
export type DueTimeZoneSetV1 = z.output<typeof dueTimeZoneSetV1Schema>;
export const dueTimeZoneSetV1 = defineEventContract({
  context: 'risk',
  name: 'DueTimeZoneSet',
  version: 1,
  schema: dueTimeZoneSetV1Schema,
  description: 'A pmo-admin set the time zone in which the tenant’s review and action due days end (default UTC).',
  example: { timeZone: 'Europe/Berlin', previousTimeZone: 'UTC', setBy: 'user:admin-1', setAt: '2026-03-03T09:00:00.000Z' },
});

declare module '../registry/event-catalogue.types' {
  interface LatestEventDataByType {
    'pm.risk.DueTimeZoneSet': DueTimeZoneSetV1;
  }
}
