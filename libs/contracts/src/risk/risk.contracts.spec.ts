import { contractRegistry } from '../registry/contract.registry';
import { riskAssessedV1, riskAssessedV1Schema, riskAssessedV2, riskAssessedV2Schema, riskIdentifiedV1, riskIdentifiedV1Schema } from './risk.contracts';
import { riskMatrixDefinedV1, riskMatrixDefinedV1Schema } from './risk-settings.contracts';
import { issueRaisedV1, issueRaisedV1Schema } from './issue.contracts';
import { mitigationActionAddedV1, mitigationActionAddedV1Schema } from './risk-response.contracts';
import './risk-due.contracts';

const paths = (result: { success: boolean; error?: { issues: Array<{ path: PropertyKey[] }> } }) =>
  result.success ? [] : [...new Set(result.error?.issues.map((i) => i.path.join('.')))];

describe('Risk contracts', () => {
  it('register the register, issue-log and settings events on pm.risk with version 1 (RiskAssessed also v2)', () => {
    const names = contractRegistry.all().filter((c) => c.context === 'risk').map((c) => `${c.name} v${c.version}`);
    expect(names.sort()).toEqual(
      [
        'DueTimeZoneSet', 'IssueLinkedToChangeRequest', 'IssueRaised', 'IssueResolved', 'MitigationActionAdded', 'MitigationActionCompleted', 'MitigationActionOverdue', 'ResponsePlanned',
        'RiskAssessed', 'RiskCategoryDefined', 'RiskIdentified', 'RiskMatrixDefined', 'RiskOccurred', 'RiskOwnerAssigned', 'RiskReviewOverdue', 'RiskReviewScheduled',
        'RiskStatusChanged', 'SecondaryRiskLinked',
      ]
        .map((n) => `${n} v1`)
        .concat('RiskAssessed v2')
        .sort(),
    );
  });

  it('rejects levels outside 1–5 and an assessment that touches no dimension', () => {
    const inherent = riskAssessedV1.example.inherent;
    const schedule = { ...inherent.dimensions.schedule, probability: 6 };
    expect(paths(riskAssessedV1Schema.safeParse({ ...riskAssessedV1.example, inherent: { ...inherent, dimensions: { ...inherent.dimensions, schedule } } }))).toEqual([
      'inherent.dimensions.schedule.probability',
    ]);
    const none = { schedule: null, cost: null, scope: null, quality: null };
    expect(paths(riskAssessedV1Schema.safeParse({ ...riskAssessedV1.example, inherent: { ...inherent, dimensions: none } }))).toEqual(['inherent.dimensions']);
  });

  it('v2: a cost impact is positive, comes with its EMV in the same currency, and needs the cost dimension', () => {
    const example = riskAssessedV2.example;
    expect(riskAssessedV2Schema.safeParse(example).success).toBe(true);
    expect(paths(riskAssessedV2Schema.safeParse({ ...example, costImpact: { amountMinor: -1, currency: 'EUR' } }))).toEqual(['costImpact.amountMinor']);
    expect(paths(riskAssessedV2Schema.safeParse({ ...example, expectedCost: null }))).toEqual(['expectedCost']);
    expect(paths(riskAssessedV2Schema.safeParse({ ...example, expectedCost: { ...example.expectedCost, currency: 'USD' } }))).toEqual(['expectedCost.currency']);
    const noCost = { ...example.residual, dimensions: { ...example.residual?.dimensions, cost: null } };
    expect(paths(riskAssessedV2Schema.safeParse({ ...example, residual: noCost }))).toEqual(['costImpact']);
    expect(riskAssessedV2Schema.safeParse({ ...example, costImpact: null, expectedCost: null }).success).toBe(true);
  });

  it('keeps the cause–event–effect statement non-blank and the triggers bounded', () => {
    expect(paths(riskIdentifiedV1Schema.safeParse({ ...riskIdentifiedV1.example, cause: '   ' }))).toEqual(['cause']);
    expect(paths(riskIdentifiedV1Schema.safeParse({ ...riskIdentifiedV1.example, triggers: Array.from({ length: 21 }, (_, i) => `t${i}`) }))).toEqual(['triggers']);
  });

  it('takes a 5x5 matrix only, with ascending thresholds', () => {
    const { cells } = riskMatrixDefinedV1.example;
    expect(paths(riskMatrixDefinedV1Schema.safeParse({ ...riskMatrixDefinedV1.example, cells: cells.slice(0, 4) }))).toEqual(['cells']);
    expect(paths(riskMatrixDefinedV1Schema.safeParse({ ...riskMatrixDefinedV1.example, thresholds: { medium: 10, high: 10, critical: 20 } }))).toEqual(['thresholds']);
  });

  it('takes an issue source that is direct or a risk, nothing else', () => {
    const withSource = (source: unknown) => issueRaisedV1Schema.safeParse({ ...issueRaisedV1.example, source }).success;
    expect(withSource({ type: 'direct' })).toBe(true);
    expect(withSource({ type: 'risk', riskId: issueRaisedV1.example.source.type === 'risk' ? issueRaisedV1.example.source.riskId : '' })).toBe(true);
    expect(withSource({ type: 'risk' })).toBe(false);
    expect(withSource({ type: 'email' })).toBe(false);
  });

  it('costs a mitigation action in exact money', () => {
    expect(paths(mitigationActionAddedV1Schema.safeParse({ ...mitigationActionAddedV1.example, cost: { amountMinor: 10.5, currency: 'EUR' } }))).toEqual(['cost.amountMinor']);
  });
});
