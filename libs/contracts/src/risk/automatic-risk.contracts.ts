import { z } from 'zod';
import { defineEventContract } from '../registry/event-contract';
import { isoDateSchema, isoDateTimeSchema, uuidSchema } from '../shared/contract-primitives.schema';
import {
  EXAMPLE_RISK_ID,
  EXAMPLE_RISK_PROJECT_ID,
  riskActorSchema,
  riskIdSchema,
  riskLocalIdSchema,
  riskProjectIdSchema,
  riskStatementSchema,
  riskTitleSchema,
} from './risk-primitives.schema';

/**
 * Risks the service raises by itself from other contexts' events (ADR 0303). An automatic risk is a risk of the register
 * (stream `risk:<tenant>:<riskId>`, the id derived from tenant, rule, subject and how many times that signal was raised
 * before), which starts with AutomaticRiskRaised instead of RiskIdentified; the rules' settings are the tenant's
 * (stream `risk-settings:<tenant>:default`).
 */

export const automaticRiskRuleIdSchema = z
  .enum(['milestone-slip', 'spi-below', 'cpi-below', 'near-critical-work', 'overallocated-critical-task', 'eac-over-bac', 'overdue-milestone', 'overdue-mitigation-action'])
  .describe('The rule that raised the risk');

export const automaticRiskSubjectSchema = z
  .strictObject({
    kind: z.enum(['project', 'milestone', 'resource-on-task', 'mitigation-action']),
    projectId: riskProjectIdSchema,
    taskId: z.string().min(1).max(100).nullable().describe("Planning's task or milestone id (milestone, resource-on-task)"),
    resourceId: uuidSchema.nullable().describe('The over-allocated resource (resource-on-task)'),
    riskId: riskIdSchema.nullable().describe('The risk whose mitigation action is overdue (mitigation-action)'),
    actionId: riskLocalIdSchema.nullable().describe('The overdue mitigation action (mitigation-action)'),
  })
  .describe('What the signal is about: at most one open automatic risk per rule and subject');

const evidenceNameSchema = z.string().min(1).max(60).regex(/^[a-zA-Z][a-zA-Z0-9.-]*$/);

export const automaticRiskEvidenceSchema = z
  .strictObject({
    events: z
      .array(z.strictObject({ eventId: z.string().min(1).max(100), type: z.string().min(1).max(200).describe('e.g. pm.planning.ProjectEarnedValueCalculated') }))
      .min(1)
      .max(20)
      .describe('The events that showed the signal (CloudEvents id and type)'),
    measurements: z
      .array(z.strictObject({ name: evidenceNameSchema, value: z.number().nullable() }))
      .max(20)
      .describe('The figures the rule looked at, e.g. spi 0.82, slipDays 7'),
    thresholds: z.array(z.strictObject({ name: evidenceNameSchema, value: z.number() })).max(10).describe("The tenant's thresholds in force"),
    asOf: isoDateSchema.nullable().describe('The status date of the figures, when they have one'),
  })
  .describe('Why the rule fired (or stopped firing): bounded, whatever the plan');

const ruleBase = { enabled: z.boolean(), onClear: z.enum(['close', 'propose-closure']).describe('When the signal clears: close the risk, or propose its closure to its owner') };
const percentSchema = z.number().min(0).max(10_000);
const daysSchema = z.number().int().min(0).max(3650);
const indexSchema = z.number().min(0).max(10);

export const automaticRiskRuleSettingSchema = z.discriminatedUnion('ruleId', [
  z.strictObject({ ruleId: z.literal('milestone-slip'), ...ruleBase, slipDays: daysSchema.describe('Raise when a milestone is forecast more than this many working days after its baseline') }),
  z.strictObject({ ruleId: z.literal('spi-below'), ...ruleBase, minimum: indexSchema.describe('Raise when SPI is below this') }),
  z.strictObject({ ruleId: z.literal('cpi-below'), ...ruleBase, minimum: indexSchema.describe('Raise when CPI is below this') }),
  z.strictObject({
    ruleId: z.literal('near-critical-work'),
    ...ruleBase,
    floatDays: z.union([z.literal(0), z.literal(2), z.literal(5), z.literal(10), z.literal(20)]).describe('Near-critical: total float at most this (a count planning publishes)'),
    maxCount: z.number().int().min(0).nullable().describe('Raise when more tasks than this are near-critical; null: no absolute limit'),
    maxIncreasePercent: percentSchema.nullable().describe('Raise when the count grew by more than this since the baseline; null: not watched'),
  }),
  z.strictObject({ ruleId: z.literal('overallocated-critical-task'), ...ruleBase, minMinutesOver: z.number().int().min(0).describe('Ignore over-allocations of at most this many minutes') }),
  z.strictObject({ ruleId: z.literal('eac-over-bac'), ...ruleBase, maxOverrunPercent: percentSchema.describe('Raise when EAC exceeds BAC by more than this percent') }),
  z.strictObject({ ruleId: z.literal('overdue-milestone'), ...ruleBase, graceDays: daysSchema.describe('Raise when a milestone is unachieved this many days after its baseline date') }),
  z.strictObject({ ruleId: z.literal('overdue-mitigation-action'), ...ruleBase, graceDays: daysSchema.describe('Raise when an action is still open this many days after its due date') }),
]);

export const automaticRiskRaisedV1Schema = z.strictObject({
  riskId: riskIdSchema,
  projectId: riskProjectIdSchema,
  ruleId: automaticRiskRuleIdSchema,
  subject: automaticRiskSubjectSchema,
  generation: z.number().int().min(0).describe('0 for the first risk of this rule and subject; n + 1 when the signal returns after risk n closed'),
  title: riskTitleSchema,
  cause: riskStatementSchema,
  event: riskStatementSchema,
  effect: riskStatementSchema,
  categoryId: riskLocalIdSchema.describe("The tenant's category for automatic risks ('automatic' unless the tenant chose one)"),
  evidence: automaticRiskEvidenceSchema,
  raisedBy: riskActorSchema.describe('service:risk-service'),
  raisedAt: isoDateTimeSchema,
});
export type AutomaticRiskRaisedV1 = z.output<typeof automaticRiskRaisedV1Schema>;

const ids = { riskId: EXAMPLE_RISK_ID, projectId: EXAMPLE_RISK_PROJECT_ID };
const at = '2026-03-03T09:00:01.000Z';
const evidence = {
  events: [{ eventId: '9a3e5c17-2b64-4f0d-8e91-6c2d4b7a1f05', type: 'pm.planning.ProjectEarnedValueCalculated' }],
  measurements: [
    { name: 'spi', value: 0.82 },
    { name: 'ev', value: 41000 },
    { name: 'pv', value: 50000 },
  ],
  thresholds: [{ name: 'minimum', value: 0.9 }],
  asOf: '2026-03-02',
};
const projectSubject = { kind: 'project' as const, projectId: EXAMPLE_RISK_PROJECT_ID, taskId: null, resourceId: null, riskId: null, actionId: null };

export const automaticRiskRaisedV1 = defineEventContract({
  context: 'risk',
  name: 'AutomaticRiskRaised',
  version: 1,
  schema: automaticRiskRaisedV1Schema,
  description:
    'A rule raised a threat by itself from the events in its evidence: the risk enters the register as identified, with its rule and subject. ' +
    'At most one open automatic risk per rule and subject.',
  example: {
    ...ids,
    ruleId: 'spi-below',
    subject: projectSubject,
    generation: 0,
    title: 'Schedule performance below 0.9',
    cause: 'Earned value at the status date 2026-03-02 is 82% of the planned value (SPI 0.82)',
    event: 'The project may keep delivering less work than planned',
    effect: 'The project finishes later than its baseline',
    categoryId: 'automatic',
    evidence,
    raisedBy: 'service:risk-service',
    raisedAt: at,
  },
});

export const automaticRiskEvidenceRecordedV1Schema = z.strictObject({
  riskId: riskIdSchema,
  projectId: riskProjectIdSchema,
  ruleId: automaticRiskRuleIdSchema,
  evidence: automaticRiskEvidenceSchema,
  recordedAt: isoDateTimeSchema,
});
export type AutomaticRiskEvidenceRecordedV1 = z.output<typeof automaticRiskEvidenceRecordedV1Schema>;
export const automaticRiskEvidenceRecordedV1 = defineEventContract({
  context: 'risk',
  name: 'AutomaticRiskEvidenceRecorded',
  version: 1,
  schema: automaticRiskEvidenceRecordedV1Schema,
  description: 'The signal of an automatic risk is still there with new figures (only when they changed); withdraws a pending closure proposal.',
  example: { ...ids, ruleId: 'spi-below', evidence: { ...evidence, measurements: [{ name: 'spi', value: 0.78 }] }, recordedAt: at },
});

export const automaticRiskSignalClearedV1Schema = z.strictObject({
  riskId: riskIdSchema,
  projectId: riskProjectIdSchema,
  ruleId: automaticRiskRuleIdSchema,
  evidence: automaticRiskEvidenceSchema.describe('The figures that no longer meet the rule'),
  outcome: z.enum(['closure-proposed', 'closed']).describe("Per the tenant's rule setting; a closure is followed by RiskStatusChanged to closed"),
  clearedAt: isoDateTimeSchema,
});
export type AutomaticRiskSignalClearedV1 = z.output<typeof automaticRiskSignalClearedV1Schema>;
export const automaticRiskSignalClearedV1 = defineEventContract({
  context: 'risk',
  name: 'AutomaticRiskSignalCleared',
  version: 1,
  schema: automaticRiskSignalClearedV1Schema,
  description: 'The signal that raised an automatic risk cleared: its closure is proposed to the owner, or it is closed, as the tenant set the rule.',
  example: { ...ids, ruleId: 'spi-below', evidence: { ...evidence, measurements: [{ name: 'spi', value: 0.95 }] }, outcome: 'closure-proposed', clearedAt: at },
});

export const automaticRiskRuleConfiguredV1Schema = z.strictObject({
  rule: automaticRiskRuleSettingSchema,
  configuredBy: riskActorSchema,
  configuredAt: isoDateTimeSchema,
});
export type AutomaticRiskRuleConfiguredV1 = z.output<typeof automaticRiskRuleConfiguredV1Schema>;
export const automaticRiskRuleConfiguredV1 = defineEventContract({
  context: 'risk',
  name: 'AutomaticRiskRuleConfigured',
  version: 1,
  schema: automaticRiskRuleConfiguredV1Schema,
  description: 'A tenant turned an automatic-risk rule on or off, set its thresholds, and chose whether a cleared signal closes the risk or proposes it.',
  example: { rule: { ruleId: 'spi-below', enabled: true, onClear: 'propose-closure', minimum: 0.9 }, configuredBy: 'user:pmo-1', configuredAt: at },
});

declare module '../registry/event-catalogue.types' {
  interface LatestEventDataByType {
    'pm.risk.AutomaticRiskRaised': AutomaticRiskRaisedV1;
    'pm.risk.AutomaticRiskEvidenceRecorded': AutomaticRiskEvidenceRecordedV1;
    'pm.risk.AutomaticRiskSignalCleared': AutomaticRiskSignalClearedV1;
    'pm.risk.AutomaticRiskRuleConfigured': AutomaticRiskRuleConfiguredV1;
  }
}
