import { z } from 'zod';
import { defineEventContract } from '../registry/event-contract';
import { isoDateSchema, isoDateTimeSchema, uuidSchema } from '../shared/contract-primitives.schema';
import {
  EXAMPLE_ISSUE_ID,
  EXAMPLE_RISK_ID,
  EXAMPLE_RISK_PROJECT_ID,
  issueIdSchema,
  issueSeveritySchema,
  personIdSchema,
  riskActorSchema,
  riskIdSchema,
  riskProjectIdSchema,
  riskStatementSchema,
  riskTitleSchema,
} from './risk-primitives.schema';

/** Events of the Issue aggregate (stream `issue:<tenant>:<issueId>`): the issue log. */

const ofIssue = { issueId: issueIdSchema, projectId: riskProjectIdSchema };
const ids = { issueId: EXAMPLE_ISSUE_ID, projectId: EXAMPLE_RISK_PROJECT_ID };

export const issueSourceSchema = z
  .discriminatedUnion('type', [z.strictObject({ type: z.literal('direct') }), z.strictObject({ type: z.literal('risk'), riskId: riskIdSchema })])
  .describe('Raised directly, or because a risk occurred (RiskOccurred)');

export const issueRaisedV1Schema = z.strictObject({
  ...ofIssue,
  title: riskTitleSchema,
  description: riskStatementSchema,
  severity: issueSeveritySchema,
  ownerId: personIdSchema.nullable(),
  dueOn: isoDateSchema.nullable(),
  source: issueSourceSchema,
  raisedBy: riskActorSchema,
  raisedAt: isoDateTimeSchema,
});
export type IssueRaisedV1 = z.output<typeof issueRaisedV1Schema>;
export const issueRaisedV1 = defineEventContract({
  context: 'risk',
  name: 'IssueRaised',
  version: 1,
  schema: issueRaisedV1Schema,
  description: 'An issue entered the log, raised directly or from an occurred risk, with severity, owner and due date.',
  example: {
    ...ids,
    title: 'Firewall appliances late',
    description: 'Delivery moved to June; cut-over at risk',
    severity: 'high',
    ownerId: 'user:owner-1',
    dueOn: '2026-05-01',
    source: { type: 'risk', riskId: EXAMPLE_RISK_ID },
    raisedBy: 'service:risk-service',
    raisedAt: '2026-04-20T08:00:00.000Z',
  },
});

export const issueResolvedV1Schema = z.strictObject({
  ...ofIssue,
  resolution: riskStatementSchema,
  resolvedBy: riskActorSchema,
  resolvedAt: isoDateTimeSchema,
});
export type IssueResolvedV1 = z.output<typeof issueResolvedV1Schema>;
export const issueResolvedV1 = defineEventContract({
  context: 'risk',
  name: 'IssueResolved',
  version: 1,
  schema: issueResolvedV1Schema,
  description: 'The issue was resolved; the resolution says how.',
  example: { ...ids, resolution: 'Cut-over moved by change request CR-12', resolvedBy: 'user:owner-1', resolvedAt: '2026-05-02T16:00:00.000Z' },
});

export const issueLinkedToChangeRequestV1Schema = z.strictObject({
  ...ofIssue,
  changeRequestId: uuidSchema.describe("Planning's change request that answers the issue"),
  linkedBy: riskActorSchema,
  linkedAt: isoDateTimeSchema,
});
export type IssueLinkedToChangeRequestV1 = z.output<typeof issueLinkedToChangeRequestV1Schema>;
export const issueLinkedToChangeRequestV1 = defineEventContract({
  context: 'risk',
  name: 'IssueLinkedToChangeRequest',
  version: 1,
  schema: issueLinkedToChangeRequestV1Schema,
  description: 'A change request in planning answers the issue.',
  example: { ...ids, changeRequestId: '0b6c3f1e-2d4a-4c8b-9e7f-1a2b3c4d5e6f', linkedBy: 'user:pm-1', linkedAt: '2026-04-21T09:00:00.000Z' },
});

declare module '../registry/event-catalogue.types' {
  interface LatestEventDataByType {
    'pm.risk.IssueRaised': IssueRaisedV1;
    'pm.risk.IssueResolved': IssueResolvedV1;
    'pm.risk.IssueLinkedToChangeRequest': IssueLinkedToChangeRequestV1;
  }
}
