import { deciderSpecification } from '@pm/shared/ddd/testing';
import { DEFAULT_SPREAD } from '../simulation/simulation.input';
import { scheduleRiskSettingsDecider, scheduleRiskSettingsStreamId } from './schedule-risk-settings.decider';
import type { DefineScheduleRiskSpread, ScheduleRiskSpreadDefined } from './schedule-risk-settings.decider';

const spec = deciderSpecification(scheduleRiskSettingsDecider);
const now = '2026-03-03T09:00:00.000Z';
const define = (data: DefineScheduleRiskSpread['data']): DefineScheduleRiskSpread => ({ type: 'DefineScheduleRiskSpread', data, metadata: { now, actor: 'user:admin-1', tenantId: 'acme' } });
const defined = (data: DefineScheduleRiskSpread['data']): ScheduleRiskSpreadDefined => ({ type: 'ScheduleRiskSpreadDefined', data: { ...data, definedBy: 'user:admin-1', definedAt: now } });
const wide = { optimistic: -0.2, pessimistic: 0.5, distribution: 'pert' } as const;

describe('Tenant schedule-risk settings', () => {
  it('names one stream per tenant and simulates with the engine’s default until one is defined', () => {
    expect(scheduleRiskSettingsStreamId('acme')).toBe('schedule-risk-settings:acme:default');
    expect(spec.given([]).state.spread).toEqual(DEFAULT_SPREAD);
  });

  describe('DefineScheduleRiskSpread', () => {
    it('defines the tenant’s spread', () => {
      spec.given([]).when(define(wide)).then([defined(wide)]);
    });

    it('defines the engine’s default explicitly, once', () => {
      spec.given([]).when(define(DEFAULT_SPREAD)).then([defined(DEFAULT_SPREAD)]);
    });

    it('changes nothing when the spread is the one defined', () => {
      spec.given([defined(wide)]).when(define({ ...wide })).thenNothingHappens();
    });

    it('rejects a spread that does not straddle the plan', () => {
      spec.given([]).when(define({ ...wide, optimistic: 0.1 })).thenRejects('SCHEDULE_RISK_SPREAD_INVALID', 'invalid');
      spec.given([]).when(define({ ...wide, pessimistic: Number.NaN })).thenRejects('SCHEDULE_RISK_SPREAD_INVALID', 'invalid');
    });
  });
});
