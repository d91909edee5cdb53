import { deciderSpecification } from '@pm/shared/ddd/testing';
import { meta, now } from './register.spec-fixtures';
import { BUILT_IN_RISK_MATRIX, cellsFromThresholds, ratingOf } from './risk-matrix';
import type { RiskCategoryDefined, RiskMatrixDefined, RiskRating, RiskSettingsEvent } from './risk-register.events';
import { MAX_RISK_CATEGORY_DEPTH, riskSettingsDecider } from './risk-settings.decider';
import type { DefineRiskCategory } from './risk-settings.decider';
import { riskSettingsStreamId } from './risk.ids';

const spec = deciderSpecification(riskSettingsDecider);
const thresholds = { medium: 4, high: 9, critical: 16 };
const matrixDefined = (revision: number, t = thresholds): RiskMatrixDefined => ({
  type: 'RiskMatrixDefined',
  data: { revision, cells: cellsFromThresholds(t), thresholds: t, definedBy: meta.actor, definedAt: now },
});
const category = (categoryId: string, parentId: string | null = null, name = `Category ${categoryId}`): RiskCategoryDefined => ({
  type: 'RiskCategoryDefined',
  data: { categoryId, name, parentId, description: null, definedBy: meta.actor, definedAt: now },
});
const defineCategory = (data: DefineRiskCategory['data']): DefineRiskCategory => ({ type: 'DefineRiskCategory', data, metadata: meta });

describe('Tenant risk settings', () => {
  it('names one stream per tenant', () => {
    expect(riskSettingsStreamId('acme')).toBe('risk-settings:acme:default');
  });

  it('rates on the built-in matrix until a pmo-admin defines one', () => {
    const { matrix } = spec.given([]).state;
    expect(matrix).toBe(BUILT_IN_RISK_MATRIX);
    expect([ratingOf(matrix, 1, 4), ratingOf(matrix, 1, 5), ratingOf(matrix, 2, 5), ratingOf(matrix, 4, 5)]).toEqual(['low', 'medium', 'high', 'critical']);
  });

  describe('DefineRiskMatrix', () => {
    it('derives the 25 cells from score thresholds, as revision 1', () => {
      spec.given([]).when({ type: 'DefineRiskMatrix', data: { thresholds }, metadata: meta }).then([matrixDefined(1)]);
    });

    it('takes the cells one by one, and counts the revision on', () => {
      const cells: RiskRating[][] = cellsFromThresholds(thresholds);
      cells[0][4] = 'high';
      cells[1][4] = 'high';
      spec
        .given([matrixDefined(1)])
        .when({ type: 'DefineRiskMatrix', data: { cells }, metadata: meta })
        .then([{ type: 'RiskMatrixDefined', data: { revision: 2, cells, thresholds: null, definedBy: meta.actor, definedAt: now } }]);
    });

    it('changes nothing when the same matrix is defined again', () => {
      spec.given([matrixDefined(1)]).when({ type: 'DefineRiskMatrix', data: { thresholds: { ...thresholds } }, metadata: meta }).thenNothingHappens();
    });

    it('rejects thresholds that do not ascend', () => {
      spec.given([]).when({ type: 'DefineRiskMatrix', data: { thresholds: { medium: 9, high: 9, critical: 16 } }, metadata: meta }).thenRejects('RISK_MATRIX_THRESHOLDS_NOT_ASCENDING', 'invalid');
    });

    it('rejects a cell rated lower than a less likely one', () => {
      const cells = cellsFromThresholds(thresholds);
      cells[4][0] = 'low';
      cells[3][0] = 'medium';
      const error = spec.given([]).when({ type: 'DefineRiskMatrix', data: { cells }, metadata: meta }).thenRejectsWith('RISK_MATRIX_NOT_MONOTONE', 'invalid');
      expect(error.details).toEqual({ probability: 4, impact: 1 });
    });

    it('rejects a grid that is not 5x5 or holds an unknown rating', () => {
      spec.given([]).when({ type: 'DefineRiskMatrix', data: { cells: cellsFromThresholds(thresholds).slice(1) }, metadata: meta }).thenRejects('RISK_MATRIX_NOT_5X5');
      const cells = cellsFromThresholds(thresholds) as string[][];
      cells[2][2] = 'severe';
      spec.given([]).when({ type: 'DefineRiskMatrix', data: { cells: cells as RiskRating[][] }, metadata: meta }).thenRejects('RISK_MATRIX_UNKNOWN_RATING');
    });

    it('rejects a command with neither thresholds nor cells', () => {
      spec.given([]).when({ type: 'DefineRiskMatrix', data: {} as never, metadata: meta }).thenRejects('RISK_MATRIX_REQUIRED');
    });
  });

  describe('DefineRiskCategory', () => {
    it('defines a category under its parent, trimmed', () => {
      spec.given([category('external')]).when(defineCategory({ categoryId: 'external.suppliers', name: ' Suppliers ', parentId: 'external' })).then([category('external.suppliers', 'external', 'Suppliers')]);
    });

    it('renames and moves a category', () => {
      spec.given([category('a'), category('b'), category('c', 'a')]).when(defineCategory({ categoryId: 'c', name: 'C', parentId: 'b' })).then([category('c', 'b', 'C')]);
    });

    it('changes nothing when a category is defined again as it is', () => {
      spec.given([category('a')]).when(defineCategory({ categoryId: 'a', name: 'Category a' })).thenNothingHappens();
    });

    it('rejects an unknown parent, a blank name and a cycle', () => {
      spec.given([]).when(defineCategory({ categoryId: 'a', name: 'A', parentId: 'ghost' })).thenRejects('RISK_CATEGORY_PARENT_NOT_FOUND', 'not-found');
      spec.given([]).when(defineCategory({ categoryId: 'a', name: '  ' })).thenRejects('TEXT_REQUIRED', 'invalid');
      spec.given([category('a'), category('b', 'a')]).when(defineCategory({ categoryId: 'a', name: 'A', parentId: 'b' })).thenRejects('RISK_CATEGORY_CYCLE', 'conflict');
      spec.given([category('a')]).when(defineCategory({ categoryId: 'a', name: 'A', parentId: 'a' })).thenRejects('RISK_CATEGORY_CYCLE', 'conflict');
    });

    it(`rejects a structure deeper than ${MAX_RISK_CATEGORY_DEPTH} levels`, () => {
      const chain: RiskSettingsEvent[] = Array.from({ length: MAX_RISK_CATEGORY_DEPTH }, (_, i) => category(`l${i}`, i === 0 ? null : `l${i - 1}`));
      spec.given(chain).when(defineCategory({ categoryId: 'deeper', name: 'Too deep', parentId: `l${MAX_RISK_CATEGORY_DEPTH - 1}` })).thenRejects('RISK_CATEGORY_TOO_DEEP');
    });

    it('keeps ids like constructor and __proto__ as categories', () => {
      const given = spec.given([category('constructor'), category('__proto__', 'constructor')]);
      given.when(defineCategory({ categoryId: 'toString', name: 'T', parentId: '__proto__' })).then([category('toString', '__proto__', 'T')]);
      expect([...given.state.categories.keys()]).toEqual(['constructor', '__proto__']);
      spec.given([]).when(defineCategory({ categoryId: 'x', name: 'X', parentId: 'constructor' })).thenRejects('RISK_CATEGORY_PARENT_NOT_FOUND');
    });
  });
});
