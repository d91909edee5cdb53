import { streamIdOf } from '@pm/shared/ddd';

export type RiskId = string & { readonly __brand: 'RiskId' };
export type IssueId = string & { readonly __brand: 'IssueId' };
export type RiskProjectId = string & { readonly __brand: 'RiskProjectId' };

export const toRiskId = (value: string): RiskId => value as RiskId;
export const toIssueId = (value: string): IssueId => value as IssueId;
export const toRiskProjectId = (value: string): RiskProjectId => value as RiskProjectId;

/** The only places the register's stream ids are spelled out: one stream per risk, per issue, per tenant's settings. */
export const riskStreamId = (tenantId: string, riskId: RiskId | string): string => streamIdOf('risk', tenantId, riskId);
export const issueStreamId = (tenantId: string, issueId: IssueId | string): string => streamIdOf('issue', tenantId, issueId);
export const riskSettingsStreamId = (tenantId: string): string => streamIdOf('risk-settings', tenantId, 'default');
