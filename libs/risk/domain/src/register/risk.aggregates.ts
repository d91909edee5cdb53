import { snapshotPolicy } from '@pm/shared/ddd';
import type { Aggregate } from '@pm/shared/ddd';
import { issueDecider } from './issue.decider';
import type { IssueCommand, IssueState } from './issue.decider';
import type { IssueEvent, RiskStreamEvent, RiskSettingsEvent } from './risk-register.events';
import { riskSettingsDecider } from './risk-settings.decider';
import type { RiskSettings, RiskSettingsCommand } from './risk-settings.decider';
import type { RiskCommand } from './risk.commands';
import { riskDecider } from './risk.decider';
import type { RiskState } from './risk.state';

/**
 * One stream per risk: a risk is assessed, responded to and reviewed on its own, and (once rules raise risks) updated
 * while its signal lasts, so its stream may grow long and is loaded from snapshots. Version 5 of the state's shape
 * (overdue flags, ADR 0302; `automatic`, ADR 0303; cost impact and EMV, ADR 0304; `scheduleImpact`, ADR 0305).
 */
export const riskAggregate: Aggregate<RiskCommand, RiskStreamEvent, RiskState> = {
  name: 'risk.risk',
  context: 'risk',
  decider: riskDecider,
  snapshot: snapshotPolicy<RiskState>('risk.risk', 5, 100),
};

/** One stream per issue: raised, linked to change requests, resolved; short, so always folded. */
export const issueAggregate: Aggregate<IssueCommand, IssueEvent, IssueState> = {
  name: 'risk.issue',
  context: 'risk',
  decider: issueDecider,
};

/** One stream per tenant: its matrix, risk breakdown structure and automatic-risk rules (state version 2), read by every identification and assessment. */
export const riskSettingsAggregate: Aggregate<RiskSettingsCommand, RiskSettingsEvent, RiskSettings> = {
  name: 'risk.settings',
  context: 'risk',
  decider: riskSettingsDecider,
  snapshot: snapshotPolicy<RiskSettings>('risk.settings', 2, 100),
};
