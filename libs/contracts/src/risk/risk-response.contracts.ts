import { z } from 'zod';
import { defineEventContract } from '../registry/event-contract';
import { isoDateSchema, isoDateTimeSchema } from '../shared/contract-primitives.schema';
import { moneySchema } from '../resource/resource-primitives.schema';
import {
  EXAMPLE_RISK_ID,
  EXAMPLE_RISK_PROJECT_ID,
  EXAMPLE_SECONDARY_RISK_ID,
  personIdSchema,
  responseStrategySchema,
  riskActorSchema,
  riskIdSchema,
  riskLocalIdSchema,
  riskProjectIdSchema,
  riskReasonSchema,
  riskStatementSchema,
} from './risk-primitives.schema';

/** Responses of the Risk aggregate (stream `risk:<tenant>:<riskId>`): strategies, mitigation actions, secondary risks. */

const ofRisk = { riskId: riskIdSchema, projectId: riskProjectIdSchema };
const ids = { riskId: EXAMPLE_RISK_ID, projectId: EXAMPLE_RISK_PROJECT_ID };
const at = '2026-03-04T10:00:00.000Z';

export const responsePlannedV1Schema = z.strictObject({
  ...ofRisk,
  responseId: riskLocalIdSchema,
  strategy: responseStrategySchema,
  description: riskStatementSchema,
  plannedBy: riskActorSchema,
  plannedAt: isoDateTimeSchema,
});
export type ResponsePlannedV1 = z.output<typeof responsePlannedV1Schema>;
export const responsePlannedV1 = defineEventContract({
  context: 'risk',
  name: 'ResponsePlanned',
  version: 1,
  schema: responsePlannedV1Schema,
  description: 'A response to the risk, with a strategy that fits its kind (threats: avoid, mitigate, transfer, accept, escalate; opportunities: exploit, enhance, share, accept).',
  example: { ...ids, responseId: 'second-supplier', strategy: 'mitigate', description: 'Order half of the appliances from a second supplier', plannedBy: 'user:owner-1', plannedAt: at },
});

export const mitigationActionAddedV1Schema = z.strictObject({
  ...ofRisk,
  responseId: riskLocalIdSchema,
  actionId: riskLocalIdSchema,
  description: riskStatementSchema,
  ownerId: personIdSchema,
  dueOn: isoDateSchema,
  cost: moneySchema.nullable().describe('What the action costs, never negative; null when it costs nothing worth recording'),
  addedBy: riskActorSchema,
  addedAt: isoDateTimeSchema,
});
export type MitigationActionAddedV1 = z.output<typeof mitigationActionAddedV1Schema>;
export const mitigationActionAddedV1 = defineEventContract({
  context: 'risk',
  name: 'MitigationActionAdded',
  version: 1,
  schema: mitigationActionAddedV1Schema,
  description: 'An action that carries out a response, with its owner, due date and cost.',
  example: {
    ...ids,
    responseId: 'second-supplier',
    actionId: 'rfq',
    description: 'Request quotes from two other suppliers',
    ownerId: 'user:buyer-1',
    dueOn: '2026-03-20',
    cost: { amountMinor: 250_000, currency: 'EUR' },
    addedBy: 'user:owner-1',
    addedAt: at,
  },
});

export const mitigationActionCompletedV1Schema = z.strictObject({
  ...ofRisk,
  actionId: riskLocalIdSchema,
  note: riskReasonSchema.nullable(),
  completedBy: riskActorSchema,
  completedAt: isoDateTimeSchema,
});
export type MitigationActionCompletedV1 = z.output<typeof mitigationActionCompletedV1Schema>;
export const mitigationActionCompletedV1 = defineEventContract({
  context: 'risk',
  name: 'MitigationActionCompleted',
  version: 1,
  schema: mitigationActionCompletedV1Schema,
  description: 'A mitigation action was done.',
  example: { ...ids, actionId: 'rfq', note: 'Two quotes received', completedBy: 'user:buyer-1', completedAt: '2026-03-18T15:00:00.000Z' },
});

export const secondaryRiskLinkedV1Schema = z.strictObject({
  ...ofRisk,
  responseId: riskLocalIdSchema.describe('The response whose implementation creates the secondary risk'),
  secondaryRiskId: riskIdSchema,
  linkedBy: riskActorSchema,
  linkedAt: isoDateTimeSchema,
});
export type SecondaryRiskLinkedV1 = z.output<typeof secondaryRiskLinkedV1Schema>;
export const secondaryRiskLinkedV1 = defineEventContract({
  context: 'risk',
  name: 'SecondaryRiskLinked',
  version: 1,
  schema: secondaryRiskLinkedV1Schema,
  description: 'A secondary risk, one that a response of this risk creates, was linked to that response.',
  example: { ...ids, responseId: 'second-supplier', secondaryRiskId: EXAMPLE_SECONDARY_RISK_ID, linkedBy: 'user:owner-1', linkedAt: at },
});

declare module '../registry/event-catalogue.types' {
  interface LatestEventDataByType {
    'pm.risk.ResponsePlanned': ResponsePlannedV1;
    'pm.risk.MitigationActionAdded': MitigationActionAddedV1;
    'pm.risk.MitigationActionCompleted': MitigationActionCompletedV1;
    'pm.risk.SecondaryRiskLinked': SecondaryRiskLinkedV1;
  }
}
