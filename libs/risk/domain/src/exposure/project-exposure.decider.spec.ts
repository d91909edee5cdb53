import { deciderSpecification } from '@pm/shared/ddd/testing';
import { MAX_EXPOSURE_TOP_RISKS, projectExposureDecider, riskExposureStreamId } from './project-exposure.decider';
import type { ExposureFigures, ProjectRiskExposureChanged, RecordProjectRiskExposure } from './project-exposure.decider';

const spec = deciderSpecification(projectExposureDecider);
const projectId = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const riskId = '3a7c1e5b-9d2f-4b6a-8c1e-2f3a4b5c6d7e';
const t0 = '2026-03-03T09:00:00.000Z';
const t1 = '2026-03-03T10:00:00.000Z';
const topRisk = { riskId, kind: 'threat', title: 'Vendor late', probability: 4, impact: 4, score: 16, rating: 'high' } as const;
const figures: ExposureFigures = {
  projectId,
  costExposure: { score: 12, threats: 1, expected: [{ currency: 'EUR', amountMinor: 8_400_000 }], expectedOpportunity: [] },
  openRisks: 1,
  topRisks: [topRisk],
  cells: [{ probability: 4, impact: 4, count: 1 }],
  openIssues: 0,
  scheduleRisk: null,
};
const record = (data: ExposureFigures, now = t1): RecordProjectRiskExposure => ({ type: 'RecordProjectRiskExposure', data, metadata: { now, actor: 'service:risk-service', tenantId: 'acme' } });
const changed = (data: ExposureFigures, calculatedAt: string): ProjectRiskExposureChanged => ({ type: 'ProjectRiskExposureChanged', data: { ...data, calculatedAt } });

describe('Project risk exposure', () => {
  it('names one stream per project and tenant', () => {
    expect(riskExposureStreamId('acme', projectId)).toBe(`risk-exposure:acme:${projectId}`);
  });

  describe('RecordProjectRiskExposure', () => {
    it('publishes the first figures of a project', () => {
      spec.given([]).when(record(figures, t0)).then([changed(figures, t0)]);
    });

    it('publishes figures that moved: a reassessment changes the cost exposure and the cell', () => {
      const reassessed: ExposureFigures = {
        ...figures,
        costExposure: { score: 6, threats: 1, expected: [{ currency: 'EUR', amountMinor: 2_400_000 }], expectedOpportunity: [] },
        topRisks: [{ ...topRisk, probability: 2, score: 8, rating: 'medium' }],
        cells: [{ probability: 2, impact: 4, count: 1 }],
      };
      spec.given([changed(figures, t0)]).when(record(reassessed)).then([changed(reassessed, t1)]);
    });

    it('publishes a new expected monetary value, per currency, with opportunities apart', () => {
      const priced: ExposureFigures = {
        ...figures,
        costExposure: { ...figures.costExposure, expected: [{ currency: 'EUR', amountMinor: 8_400_000 }, { currency: 'USD', amountMinor: 50_000 }], expectedOpportunity: [{ currency: 'EUR', amountMinor: 1_000 }] },
      };
      spec.given([changed(figures, t0)]).when(record(priced)).then([changed(priced, t1)]);
    });

    it('publishes nothing for the same figures without money (what an upcast v1 event carries)', () => {
      const noMoney: ExposureFigures = { ...figures, costExposure: { score: 12, threats: 1, expected: [], expectedOpportunity: [] } };
      spec.given([changed(noMoney, t0)]).when(record(noMoney)).thenNothingHappens();
    });

    it('publishes a new Monte Carlo P80', () => {
      const simulated = { ...figures, scheduleRisk: { simulationId: 'job-1', p80Finish: '2026-09-14', simulatedAt: t1 } };
      spec.given([changed(figures, t0)]).when(record(simulated)).then([changed(simulated, t1)]);
    });

    it('publishes nothing when the figures did not move (a new owner, a review date), whatever the time', () => {
      spec.given([changed(figures, t0)]).when(record({ ...figures, cells: [{ count: 1, impact: 4, probability: 4 }] })).thenNothingHappens();
    });

    it(`rejects more than ${MAX_EXPOSURE_TOP_RISKS} top risks`, () => {
      const many = { ...figures, topRisks: Array.from({ length: MAX_EXPOSURE_TOP_RISKS + 1 }, () => topRisk) };
      spec.given([]).when(record(many)).thenRejects('EXPOSURE_TOO_MANY_TOP_RISKS', 'invalid');
    });

    it('rejects figures of another project on the stream', () => {
      spec.given([changed(figures, t0)]).when(record({ ...figures, projectId: '8d0f7780-8536-41ef-a55c-f18ad2f01bf8' })).thenRejects('EXPOSURE_PROJECT_MISMATCH', 'invalid');
    });
  });
});
