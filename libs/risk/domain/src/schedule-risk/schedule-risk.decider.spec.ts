import { deciderSpecification } from '@pm/shared/ddd/testing';
import { scheduleRiskDecider, scheduleRiskStreamId } from './schedule-risk.decider';
import type { RecordScheduleRiskSimulation, ScheduleRiskSimulated, ScheduleRiskSummary } from './schedule-risk.decider';

const spec = deciderSpecification(scheduleRiskDecider);
const projectId = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const now = '2026-03-03T09:05:00.000Z';
const summary: ScheduleRiskSummary = {
  projectId,
  simulationId: 'job-1',
  iterations: 1000,
  seed: 7,
  statusDate: null,
  tasks: 3,
  plannedFinish: '2026-03-20',
  p50Finish: '2026-03-23',
  p80Finish: '2026-03-25',
  p90Finish: '2026-03-26',
  finish: [
    { percentile: 50, date: '2026-03-23' },
    { percentile: 80, date: '2026-03-25' },
    { percentile: 90, date: '2026-03-26' },
  ],
  cost: [],
  targetDate: null,
  probabilityOfTarget: null,
};
const record = (data: ScheduleRiskSummary): RecordScheduleRiskSimulation => ({ type: 'RecordScheduleRiskSimulation', data, metadata: { now, actor: 'user:pm-1', tenantId: 'acme' } });
const simulated = (data: ScheduleRiskSummary): ScheduleRiskSimulated => ({ type: 'ScheduleRiskSimulated', data: { ...data, simulatedBy: 'user:pm-1', simulatedAt: now } });

describe('Schedule risk runs of a project', () => {
  it('names one stream per project and tenant', () => {
    expect(scheduleRiskStreamId('acme', projectId)).toBe(`schedule-risk:acme:${projectId}`);
  });

  describe('RecordScheduleRiskSimulation', () => {
    it('records a finished run', () => {
      spec.given([]).when(record(summary)).then([simulated(summary)]);
    });

    it('records another run after the first', () => {
      const second = { ...summary, simulationId: 'job-2', seed: 8 };
      spec.given([simulated(summary)]).when(record(second)).then([simulated(second)]);
    });

    it('records a run once, however often its job reports it', () => {
      spec.given([simulated(summary)]).when(record(summary)).thenNothingHappens();
    });

    it('rejects percentiles that do not ascend', () => {
      spec.given([]).when(record({ ...summary, p80Finish: '2026-03-27' })).thenRejects('SCHEDULE_RISK_PERCENTILES_OUT_OF_ORDER', 'invalid');
    });
  });
});
