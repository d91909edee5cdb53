import type { AssessRisk, DimensionLevels, IdentifyRisk, RiskCommand } from './risk.commands';
import type { Money, RiskIdentified, RiskStreamEvent } from './risk-register.events';
import { toRiskId, toRiskProjectId } from './risk.ids';
import { riskSettingsDecider } from './risk-settings.decider';
import type { RiskSettings, RiskSettingsCommand } from './risk-settings.decider';

export const now = '2026-03-03T09:00:00.000Z';
export const today = '2026-03-03';
export const meta = { now, actor: 'user:pm-1', tenantId: 'tenant-1' };
export const riskId = toRiskId('3a7c1e5b-9d2f-4b6a-8c1e-2f3a4b5c6d7e');
export const otherRiskId = toRiskId('4b8d2f6c-0e3a-4c7b-9d2f-3a4b5c6d7e8f');
export const projectId = toRiskProjectId('7c9e6679-7425-40de-944b-e07fc1f90ae7');
export const ids = { riskId, projectId };

/** Settings as the handler would load them: the built-in matrix and a small risk breakdown structure. */
export function settingsWith(...commands: Array<RiskSettingsCommand['data']>): RiskSettings {
  const state = riskSettingsDecider.initialState();
  const defaults: Array<RiskSettingsCommand['data']> = [
    { categoryId: 'external', name: 'External' },
    { categoryId: 'external.suppliers', name: 'Suppliers', parentId: 'external' },
  ];
  for (const data of [...defaults, ...commands]) {
    const command = ('categoryId' in data ? { type: 'DefineRiskCategory', data, metadata: meta } : { type: 'DefineRiskMatrix', data, metadata: meta }) as RiskSettingsCommand;
    for (const event of riskSettingsDecider.decide(command, state)) riskSettingsDecider.evolve(state, event);
  }
  return state;
}
export const settings = settingsWith();

export const identify = (overrides: Partial<IdentifyRisk['data']> = {}, kind: 'threat' | 'opportunity' = 'threat'): IdentifyRisk => ({
  type: 'IdentifyRisk',
  data: {
    ...ids,
    kind,
    title: 'Vendor late',
    cause: 'Single factory',
    event: 'Appliances arrive late',
    effect: 'Cut-over slips',
    categoryId: 'external.suppliers',
    ...overrides,
  },
  settings,
  metadata: meta,
});

export const identified = (kind: 'threat' | 'opportunity' = 'threat', overrides: Partial<RiskIdentified['data']> = {}): RiskIdentified => ({
  type: 'RiskIdentified',
  data: {
    ...ids,
    kind,
    title: 'Vendor late',
    cause: 'Single factory',
    event: 'Appliances arrive late',
    effect: 'Cut-over slips',
    categoryId: 'external.suppliers',
    ownerId: null,
    proximity: null,
    triggers: [],
    identifiedBy: 'user:pm-1',
    identifiedAt: '2026-03-01T09:00:00.000Z',
    ...overrides,
  },
});

export const assessCommand = (inherent: DimensionLevels, residual?: DimensionLevels | null, withSettings: RiskSettings = settings, costImpact?: Money | null): AssessRisk => ({
  type: 'AssessRisk',
  data: { riskId, inherent, residual, ...(costImpact === undefined ? {} : { costImpact }) },
  settings: withSettings,
  metadata: meta,
});

export const command = <C extends RiskCommand>(type: C['type'], data: Omit<C['data'], 'riskId'>): C => ({ type, data: { riskId, ...data }, metadata: meta }) as unknown as C;

const statusChanged = (from: string, to: string, reason: string | null = null): RiskStreamEvent =>
  ({ type: 'RiskStatusChanged', data: { ...ids, from, to, reason, changedBy: 'user:pm-1', changedAt: '2026-03-02T09:00:00.000Z' } }) as RiskStreamEvent;

const cell = (probability: number, impact: number, rating: 'low' | 'medium' | 'high' | 'critical') => ({ probability, impact, score: probability * impact, rating });
export const assessedEvent = (kind: 'threat' | 'opportunity' = 'threat'): RiskStreamEvent => ({
  type: 'RiskAssessed',
  data: {
    ...ids,
    inherent: { dimensions: { schedule: cell(kind === 'threat' ? 4 : 2, 4, kind === 'threat' ? 'high' : 'medium'), cost: null, scope: null, quality: null }, score: kind === 'threat' ? 16 : 8, rating: kind === 'threat' ? 'high' : 'medium' },
    residual: null,
    rating: kind === 'threat' ? 'high' : 'medium',
    matrixRevision: 0,
    costImpact: null,
    expectedCost: null,
    assessedBy: 'user:pm-1',
    assessedAt: '2026-03-02T09:00:00.000Z',
  },
});

export const responsePlanned = (responseId = 'second-supplier', strategy: 'mitigate' | 'exploit' = 'mitigate'): RiskStreamEvent => ({
  type: 'ResponsePlanned',
  data: { ...ids, responseId, strategy, description: 'Order from a second supplier', plannedBy: 'user:pm-1', plannedAt: '2026-03-02T10:00:00.000Z' },
});

/** Histories of a threat (or opportunity) up to each status. */
export const history = {
  identified: (kind: 'threat' | 'opportunity' = 'threat'): RiskStreamEvent[] => [identified(kind)],
  assessed: (kind: 'threat' | 'opportunity' = 'threat'): RiskStreamEvent[] => [identified(kind), assessedEvent(kind), statusChanged('identified', 'assessed')],
  responding: (kind: 'threat' | 'opportunity' = 'threat'): RiskStreamEvent[] => [
    ...history.assessed(kind),
    responsePlanned('second-supplier', kind === 'threat' ? 'mitigate' : 'exploit'),
    statusChanged('assessed', 'responding'),
  ],
  monitoring: (): RiskStreamEvent[] => [...history.responding(), statusChanged('responding', 'monitoring')],
  closed: (): RiskStreamEvent[] => [...history.monitoring(), statusChanged('monitoring', 'closed', 'Vendor delivered')],
  occurred: (): RiskStreamEvent[] => [
    ...history.responding(),
    { type: 'RiskOccurred', data: { ...ids, kind: 'threat', title: 'Vendor late', occurredOn: '2026-03-02', description: 'Delivery moved', recordedBy: 'user:pm-1', recordedAt: '2026-03-02T12:00:00.000Z' } },
    statusChanged('responding', 'occurred'),
  ],
};
