import type { AutomaticRiskEvidence, AutomaticRiskSubject } from '../register/risk-register.events';
import type { FactSource } from './signal.types';

type Figures = Readonly<Record<string, number | null>>;

/** Evidence of one observation: the event, the figures the rule read and the thresholds it compared them with. */
export function evidenceOf(source: FactSource, measurements: Figures, thresholds: Readonly<Record<string, number>>, asOf: string | null): AutomaticRiskEvidence {
  return {
    events: [{ eventId: source.eventId, type: source.eventType }],
    measurements: Object.entries(measurements).map(([name, value]) => ({ name, value })),
    thresholds: Object.entries(thresholds).map(([name, value]) => ({ name, value })),
    asOf,
  };
}

const none = { taskId: null, resourceId: null, riskId: null, actionId: null };

export const projectSubject = (projectId: string): AutomaticRiskSubject => ({ kind: 'project', projectId, ...none });
export const milestoneSubject = (projectId: string, taskId: string): AutomaticRiskSubject => ({ kind: 'milestone', projectId, ...none, taskId });
export const resourceOnTaskSubject = (projectId: string, resourceId: string, taskId: string): AutomaticRiskSubject => ({
  kind: 'resource-on-task',
  projectId,
  ...none,
  taskId,
  resourceId,
});
export const mitigationActionSubject = (projectId: string, riskId: string, actionId: string): AutomaticRiskSubject => ({
  kind: 'mitigation-action',
  projectId,
  ...none,
  riskId,
  actionId,
});

/** A name inside a title stays short enough for the contract's 200 characters. */
export const shortName = (name: string, max = 120): string => (name.length <= max ? name : `${name.slice(0, max - 1)}…`);

/** Calendar days from one ISO date to another (UTC), negative when `to` is earlier. */
export const daysBetween = (from: string, to: string): number => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

export const percent = (value: number): string => `${Math.round(value * 10) / 10}%`;
export const twoDecimals = (value: number): string => (Math.round(value * 100) / 100).toFixed(2);
