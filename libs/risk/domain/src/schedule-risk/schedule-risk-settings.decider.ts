import type { ContractEvent } from '@pm/contracts';
import { DomainError, invalid, sameValue, streamIdOf } from '@pm/shared/ddd';
import type { Aggregate, CommandMetadata } from '@pm/shared/ddd';
import { DEFAULT_SPREAD } from '../simulation/simulation.input';
import type { DefaultSpread } from '../simulation/simulation.types';

/**
 * A tenant's Monte Carlo settings (stream `schedule-risk-settings:<tenant>:default`, ADR 0304): the default spread a
 * task without a three-point estimate is simulated with. Kept apart from the register's settings stream so that a
 * change here never contends with matrix, category or automatic-rule changes.
 */

export type ScheduleRiskSpreadDefined = ContractEvent<'risk', 'ScheduleRiskSpreadDefined'>;

export const scheduleRiskSettingsStreamId = (tenantId: string): string => streamIdOf('schedule-risk-settings', tenantId, 'default');

export interface DefineScheduleRiskSpread {
  readonly type: 'DefineScheduleRiskSpread';
  readonly data: DefaultSpread;
  readonly metadata: CommandMetadata;
}

export interface ScheduleRiskSettings {
  /** The engine's default (10% shorter to 25% longer, triangular) until the tenant defines one. */
  spread: DefaultSpread;
  defined: boolean;
}

export const initialScheduleRiskSettings = (): ScheduleRiskSettings => ({ spread: DEFAULT_SPREAD, defined: false });

/** A spread is a range around the plan: never longer on the optimistic side, never shorter on the pessimistic one. */
export function spreadMustStraddlePlan(spread: DefaultSpread): void {
  const { optimistic, pessimistic } = spread;
  if (!(Number.isFinite(optimistic) && optimistic >= -1 && optimistic <= 0 && Number.isFinite(pessimistic) && pessimistic >= 0 && pessimistic <= 100)) {
    throw invalid('SCHEDULE_RISK_SPREAD_INVALID', 'optimistic must lie in [-1, 0] and pessimistic in [0, 100]', { optimistic, pessimistic });
  }
}

export function decideScheduleRiskSettings(command: DefineScheduleRiskSpread, state: ScheduleRiskSettings): ScheduleRiskSpreadDefined[] {
  if (command.type !== 'DefineScheduleRiskSpread') throw new DomainError('UNKNOWN_COMMAND', 'invalid', `Unknown command type: ${String((command as { type?: unknown }).type)}`);
  spreadMustStraddlePlan(command.data);
  const spread = { optimistic: command.data.optimistic, pessimistic: command.data.pessimistic, distribution: command.data.distribution };
  if (state.defined && sameValue(state.spread, spread)) return [];
  return [{ type: 'ScheduleRiskSpreadDefined', data: { ...spread, definedBy: command.metadata.actor, definedAt: command.metadata.now } }];
}

export function evolveScheduleRiskSettings(state: ScheduleRiskSettings, event: ScheduleRiskSpreadDefined): ScheduleRiskSettings {
  if (event.type !== 'ScheduleRiskSpreadDefined') return state;
  const { optimistic, pessimistic, distribution } = event.data;
  state.spread = { optimistic, pessimistic, distribution };
  state.defined = true;
  return state;
}

export const scheduleRiskSettingsDecider = { decide: decideScheduleRiskSettings, evolve: evolveScheduleRiskSettings, initialState: initialScheduleRiskSettings };

export const scheduleRiskSettingsAggregate: Aggregate<DefineScheduleRiskSpread, ScheduleRiskSpreadDefined, ScheduleRiskSettings> = {
  name: 'risk.schedule-risk-settings',
  context: 'risk',
  decider: scheduleRiskSettingsDecider,
};
