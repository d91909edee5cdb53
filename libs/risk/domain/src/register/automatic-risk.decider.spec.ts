import { deciderSpecification } from '@pm/shared/ddd/testing';
import { history, ids, meta, now, projectId, riskId } from './register.spec-fixtures';
import type { ClearAutomaticRiskSignal, RaiseAutomaticRisk, RecordAutomaticRiskEvidence } from './risk.commands';
import { riskDecider } from './risk.decider';
import type { AutomaticRiskEvidence, AutomaticRiskRaised, RiskStreamEvent } from './risk-register.events';
import type { RegisteredRisk } from './risk.state';

const spec = deciderSpecification(riskDecider);
const service = { ...meta, actor: 'service:risk-service' };
const subject = { kind: 'project' as const, projectId, taskId: null, resourceId: null, riskId: null, actionId: null };
const evidence = (spi: number, eventId = 'e-1'): AutomaticRiskEvidence => ({
  events: [{ eventId, type: 'pm.planning.ProjectEarnedValueCalculated' }],
  measurements: [{ name: 'spi', value: spi }],
  thresholds: [{ name: 'minimum', value: 0.9 }],
  asOf: '2026-03-02',
});
const text = { title: 'SPI below 0.9', cause: 'SPI 0.8 at 2026-03-02', event: 'Less work done than planned', effect: 'Late finish', categoryId: 'automatic' };

const raise = (overrides: Partial<RaiseAutomaticRisk['data']> = {}): RaiseAutomaticRisk => ({
  type: 'RaiseAutomaticRisk',
  data: { riskId, projectId, ruleId: 'spi-below', subject, generation: 0, ...text, evidence: evidence(0.8), ...overrides },
  metadata: service,
});
const record = (spi: number, eventId = 'e-2'): RecordAutomaticRiskEvidence => ({ type: 'RecordAutomaticRiskEvidence', data: { riskId, evidence: evidence(spi, eventId) }, metadata: service });
const clear = (onClear: 'close' | 'propose-closure', spi = 0.95): ClearAutomaticRiskSignal => ({
  type: 'ClearAutomaticRiskSignal',
  data: { riskId, evidence: evidence(spi, 'e-3'), onClear },
  metadata: service,
});

const raised: AutomaticRiskRaised = {
  type: 'AutomaticRiskRaised',
  data: { ...ids, ruleId: 'spi-below', subject, generation: 0, ...text, evidence: evidence(0.8), raisedBy: 'service:risk-service', raisedAt: now },
};
const proposed: RiskStreamEvent = {
  type: 'AutomaticRiskSignalCleared',
  data: { ...ids, ruleId: 'spi-below', evidence: evidence(0.95, 'e-3'), outcome: 'closure-proposed', clearedAt: now },
};

describe('Risk', () => {
  describe('RaiseAutomaticRisk', () => {
    it('enters the register as an identified threat that knows its rule, subject and evidence', () => {
      spec.given([]).when(raise()).then([raised]);
      const state = spec.given([raised]).state as RegisteredRisk;
      expect(state.status).toBe('identified');
      expect(state.risk.identification).toMatchObject({ kind: 'threat', title: text.title, categoryId: 'automatic', ownerId: null });
      expect(state.risk.automatic).toEqual({ ruleId: 'spi-below', subject, generation: 0, evidence: evidence(0.8), closureProposed: false });
    });

    it('changes nothing when the same rule and subject raise it again (a replay or a duplicate event)', () => {
      spec.given([raised]).when(raise({ evidence: evidence(0.7, 'e-9') })).thenNothingHappens();
    });

    it('rejects another rule on the same id, a risk a person identified, and evidence without events', () => {
      spec.given([raised]).when(raise({ ruleId: 'cpi-below' })).thenRejects('RISK_ALREADY_IDENTIFIED', 'conflict');
      spec.given(history.identified()).when(raise()).thenRejects('RISK_ALREADY_IDENTIFIED', 'conflict');
      spec.given([]).when(raise({ evidence: { ...evidence(0.8), events: [] } })).thenRejects('AUTOMATIC_RISK_EVIDENCE_REQUIRED', 'invalid');
      spec.given([]).when(raise({ title: ' ' })).thenRejects('TEXT_REQUIRED', 'invalid');
      spec.given([]).when(raise({ generation: -1 })).thenRejects('AUTOMATIC_RISK_GENERATION_INVALID', 'invalid');
    });
  });

  describe('RecordAutomaticRiskEvidence', () => {
    it('records new figures while the signal stays', () => {
      spec.given([raised]).when(record(0.75)).then([{ type: 'AutomaticRiskEvidenceRecorded', data: { ...ids, ruleId: 'spi-below', evidence: evidence(0.75, 'e-2'), recordedAt: now } }]);
    });

    it('changes nothing for the same figures, whichever event carried them', () => {
      spec.given([raised]).when(record(0.8, 'e-1')).thenNothingHappens();
      spec.given([raised]).when(record(0.8, 'e-7')).thenNothingHappens();
    });

    it('withdraws a closure proposal when the signal is back, even with the same figures', () => {
      const events = spec.given([raised, proposed]).when(record(0.8)).events();
      expect(events.map((e) => e.type)).toEqual(['AutomaticRiskEvidenceRecorded']);
      expect((spec.given([raised, proposed, ...events]).state as RegisteredRisk).risk.automatic?.closureProposed).toBe(false);
    });

    it('rejects a risk a person identified and a closed one', () => {
      spec.given(history.identified()).when(record(0.7)).thenRejects('RISK_NOT_AUTOMATIC', 'conflict');
      spec.given([raised, ...closedBy(clear('close'))]).when(record(0.7)).thenRejects('RISK_CLOSED', 'conflict');
    });
  });

  describe('ClearAutomaticRiskSignal', () => {
    it('proposes the closure to the owner when the tenant says so', () => {
      spec.given([raised]).when(clear('propose-closure')).then([proposed]);
      expect((spec.given([raised, proposed]).state as RegisteredRisk).risk.automatic?.closureProposed).toBe(true);
    });

    it('closes the risk when the tenant says so, with one RiskStatusChanged', () => {
      spec
        .given([raised])
        .when(clear('close'))
        .then([
          { type: 'AutomaticRiskSignalCleared', data: { ...ids, ruleId: 'spi-below', evidence: evidence(0.95, 'e-3'), outcome: 'closed', clearedAt: now } },
          { type: 'RiskStatusChanged', data: { ...ids, from: 'identified', to: 'closed', reason: 'The signal that raised this risk cleared', changedBy: 'service:risk-service', changedAt: now } },
        ]);
    });

    it('changes nothing when the closure is already proposed or the risk is closed', () => {
      spec.given([raised, proposed]).when(clear('propose-closure')).thenNothingHappens();
      spec.given([raised, ...closedBy(clear('close'))]).when(clear('close')).thenNothingHappens();
    });

    it('rejects a risk a person identified', () => {
      spec.given(history.identified()).when(clear('close')).thenRejects('RISK_NOT_AUTOMATIC', 'conflict');
    });
  });
});

function closedBy(command: ClearAutomaticRiskSignal): RiskStreamEvent[] {
  return spec.given([raised]).when(command).events();
}
