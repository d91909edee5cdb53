import type { ContractEvent } from '@pm/contracts';
import { DomainError, invalid, streamIdOf } from '@pm/shared/ddd';
import type { Aggregate, CommandMetadata } from '@pm/shared/ddd';

/**
 * A project's Monte Carlo runs (stream `schedule-risk:<tenant>:<projectId>`, ADR 0304): one event per finished run,
 * the summary that reporting and the exposure take (the P80 finish). A job that records its run twice (a retry after
 * a crash between the append and the job's completion) records it once.
 */

export type ScheduleRiskSimulated = ContractEvent<'risk', 'ScheduleRiskSimulated'>;
export type ScheduleRiskSummary = Omit<ScheduleRiskSimulated['data'], 'simulatedBy' | 'simulatedAt'>;

export const scheduleRiskStreamId = (tenantId: string, projectId: string): string => streamIdOf('schedule-risk', tenantId, projectId);

export interface RecordScheduleRiskSimulation {
  readonly type: 'RecordScheduleRiskSimulation';
  readonly data: ScheduleRiskSummary;
  readonly metadata: CommandMetadata;
}

export interface ScheduleRiskState {
  readonly simulations: Set<string>;
}

export const initialScheduleRisk = (): ScheduleRiskState => ({ simulations: new Set() });

/** Percentiles of one distribution are read off one sorted sample: a later percentile is never earlier. */
function percentilesMustAscend(summary: ScheduleRiskSummary): void {
  const dates = [summary.p50Finish, summary.p80Finish, summary.p90Finish];
  const sorted = summary.finish.every((p, i) => i === 0 || (summary.finish[i - 1].percentile < p.percentile && summary.finish[i - 1].date <= p.date));
  if (!sorted || dates.some((d, i) => i > 0 && dates[i - 1] > d)) {
    throw invalid('SCHEDULE_RISK_PERCENTILES_OUT_OF_ORDER', 'Finish percentiles must ascend', { simulationId: summary.simulationId });
  }
}

export function decideScheduleRisk(command: RecordScheduleRiskSimulation, state: ScheduleRiskState): ScheduleRiskSimulated[] {
  if (command.type !== 'RecordScheduleRiskSimulation') throw new DomainError('UNKNOWN_COMMAND', 'invalid', `Unknown command type: ${String((command as { type?: unknown }).type)}`);
  percentilesMustAscend(command.data);
  if (state.simulations.has(command.data.simulationId)) return [];
  return [{ type: 'ScheduleRiskSimulated', data: { ...command.data, simulatedBy: command.metadata.actor, simulatedAt: command.metadata.now } }];
}

export function evolveScheduleRisk(state: ScheduleRiskState, event: ScheduleRiskSimulated): ScheduleRiskState {
  if (event.type === 'ScheduleRiskSimulated') state.simulations.add(event.data.simulationId);
  return state;
}

export const scheduleRiskDecider = { decide: decideScheduleRisk, evolve: evolveScheduleRisk, initialState: initialScheduleRisk };

/** One event per run, a handful a day at most: folded whole. */
export const scheduleRiskAggregate: Aggregate<RecordScheduleRiskSimulation, ScheduleRiskSimulated, ScheduleRiskState> = {
  name: 'risk.schedule-risk',
  context: 'risk',
  decider: scheduleRiskDecider,
};
