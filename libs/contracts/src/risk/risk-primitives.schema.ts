import { z } from 'zod';
import { trimmedText, uuidSchema } from '../shared/contract-primitives.schema';

/** Shared shapes of the risk context's events: the register, its responses, the issue log and the tenant's settings. */

export const riskIdSchema = uuidSchema.describe('Risk id');
export const issueIdSchema = uuidSchema.describe('Issue id');
export const riskProjectIdSchema = uuidSchema.describe("Planning's project id");
/** Client-chosen ids inside a risk or a tenant's settings (a response, an action, a category): data, never object keys. */
export const riskLocalIdSchema = z.string().min(1).max(100);
export const personIdSchema = z.string().min(1).max(200).describe('A person, by the id of their token (`sub`), not a role');
export const riskActorSchema = z.string().min(1).max(200).describe('user:<id> or service:<name>');

export const riskKindSchema = z.enum(['threat', 'opportunity']);
export const riskStatusSchema = z
  .enum(['identified', 'assessed', 'responding', 'monitoring', 'closed', 'occurred'])
  .describe('identified → assessed → responding ⇄ monitoring → closed; any open status → occurred; occurred → closed');
export const riskDimensionSchema = z.enum(['schedule', 'cost', 'scope', 'quality']);
/** The matrix's rating scale, in ascending order; issue severities use the same words. */
export const riskRatingSchema = z.enum(['low', 'medium', 'high', 'critical']);
export const issueSeveritySchema = riskRatingSchema.describe('How badly the issue hurts the project');
export const scaleLevelSchema = z.number().int().min(1).max(5).describe('1 (very low) … 5 (very high)');
export const riskScoreSchema = z.number().int().min(1).max(25).describe('probability × impact');

export const threatStrategySchema = z.enum(['avoid', 'mitigate', 'transfer', 'accept', 'escalate']);
export const opportunityStrategySchema = z.enum(['exploit', 'enhance', 'share', 'accept']);
export const responseStrategySchema = z
  .enum(['avoid', 'mitigate', 'transfer', 'accept', 'escalate', 'exploit', 'enhance', 'share'])
  .describe('avoid, mitigate, transfer, accept, escalate for threats; exploit, enhance, share, accept for opportunities');

export const riskTitleSchema = trimmedText(200);
export const riskStatementSchema = trimmedText(2000);
export const riskReasonSchema = trimmedText(1000);
export const riskTriggerSchema = trimmedText(500);

export const EXAMPLE_RISK_ID = '3a7c1e5b-9d2f-4b6a-8c1e-2f3a4b5c6d7e';
export const EXAMPLE_SECONDARY_RISK_ID = '4b8d2f6c-0e3a-4c7b-9d2f-3a4b5c6d7e8f';
export const EXAMPLE_ISSUE_ID = '5c9e3a7d-1f4b-4d8c-8e3a-4b5c6d7e8f90';
export const EXAMPLE_RISK_PROJECT_ID = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
