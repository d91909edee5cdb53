import { money } from '../shared/money';
import { at, deciderSpecification } from '../testing/decider-specification';
import { budgetDecider } from './budget.decider';
import type { BudgetEvent } from './budget.events';

const spec = deciderSpecification(budgetDecider);
const eur = (major: number) => money(major * 100, 'EUR');
const now = '2026-03-09T09:00:00.000Z';
const projectId = 'p-erp';
// Baseline = 60k + 10k + 5k + 5k + 10k contingency = 90k; the 20k management reserve is outside it.
const categories = { labour: eur(60_000), equipment: eur(10_000), materials: eur(5_000), other: eur(5_000) };
const setCommand = (thresholdPercent = 100) => ({
  type: 'SetProjectBudget' as const,
  data: { projectId, categories, contingency: eur(10_000), managementReserve: eur(20_000), thresholdPercent },
  metadata: at(now, 'user:pmo'),
});
const budgetSet: BudgetEvent = {
  type: 'ProjectBudgetSet',
  data: { projectId, currency: 'EUR', categories, contingency: eur(10_000), managementReserve: eur(20_000), thresholdPercent: 100, setBy: 'user:pmo', setAt: now },
};
const actual = (costId: string, major: number) => ({ type: 'RecordActualCost' as const, data: { projectId, costId, category: 'labour' as const, amount: eur(major) }, metadata: at(now) });
const recorded = (costId: string, major: number): BudgetEvent => ({ type: 'ActualCostRecorded', data: { projectId, costId, category: 'labour', amount: eur(major), recordedAt: now } });
const etc = (major: number) => ({ type: 'ReviseForecast' as const, data: { projectId, estimateToComplete: eur(major) }, metadata: at(now) });
const revised = (etcMajor: number, eacMajor: number): BudgetEvent => ({ type: 'ForecastRevised', data: { projectId, estimateToComplete: eur(etcMajor), forecastAtCompletion: eur(eacMajor), revisedAt: now } });

describe('Budget', () => {
  describe('SetProjectBudget', () => {
    it('sets categories, contingency, reserve and threshold', () => spec.given([]).when(setCommand()).then([budgetSet]));
    it('does nothing when unchanged', () => spec.given([budgetSet]).when(setCommand()).thenNothingHappens());
    it('does nothing when the same budget comes back from the store with reordered keys (jsonb)', () => {
      const fromStore = { type: 'ProjectBudgetSet', data: { ...budgetSet.data, categories: { other: categories.other, materials: categories.materials, equipment: categories.equipment, labour: { currency: 'EUR', amountMinor: 6_000_000 } } } } as BudgetEvent;
      spec.given([fromStore]).when(setCommand()).thenNothingHappens();
    });
    it('rejects mixed currencies', () => {
      spec.given([]).when({ ...setCommand(), data: { ...setCommand().data, managementReserve: money(1, 'USD') } }).thenRejects('CURRENCY_MISMATCH');
    });
    it('rejects a zero threshold', () => spec.given([]).when(setCommand(0)).thenRejects('THRESHOLD_OUT_OF_RANGE'));
  });

  describe('RecordActualCost', () => {
    it('counts a cost once', () => spec.given([budgetSet]).when(actual('ts-1:p-erp', 500)).then([recorded('ts-1:p-erp', 500)]));
    it('ignores the same cost redelivered', () => spec.given([budgetSet, recorded('ts-1:p-erp', 500)]).when(actual('ts-1:p-erp', 500)).thenNothingHappens());
    it('rejects another currency', () => {
      spec.given([budgetSet]).when({ ...actual('x', 1), data: { ...actual('x', 1).data, amount: money(100, 'USD') } }).thenRejects('CURRENCY_MISMATCH');
    });
  });

  describe('BudgetThresholdExceeded', () => {
    it('fires once when AC + ETC passes the baseline, not again while it stays above', () => {
      const events = spec.given([budgetSet, recorded('a', 50_000)]).when(etc(40_001)).events();
      expect(events).toEqual([
        revised(40_001, 90_001),
        { type: 'BudgetThresholdExceeded', data: { projectId, forecastAtCompletion: eur(90_001), costBaseline: eur(90_000), thresholdPercent: 100, actualToDate: eur(50_000), detectedAt: now } },
      ]);
      spec.given([budgetSet, recorded('a', 50_000), ...events]).when(actual('b', 10)).then([recorded('b', 10)]);
    });
    it('does not fire at exactly the baseline', () => spec.given([budgetSet, recorded('a', 50_000)]).when(etc(40_000)).then([revised(40_000, 90_000)]));
    it('honours a tenant threshold below 100 %', () => {
      const at80 = { ...budgetSet, data: { ...budgetSet.data, thresholdPercent: 80 } } as BudgetEvent;
      const events = spec.given([at80]).when(actual('a', 72_001)).events();
      expect(events.map((e) => e.type)).toEqual(['ActualCostRecorded', 'BudgetThresholdExceeded']);
    });
    it('says so when the forecast comes back within the threshold', () => {
      const exceeded = spec.given([budgetSet, recorded('a', 50_000)]).when(etc(45_000)).events();
      const back = spec.given([budgetSet, recorded('a', 50_000), ...exceeded]).when(etc(30_000)).events();
      expect(back.map((e) => e.type)).toEqual(['ForecastRevised', 'BudgetForecastBackWithinThreshold']);
    });
  });

  describe('RecordExpense', () => {
    const expense = (amount = eur(1_200)) => ({ type: 'RecordExpense' as const, data: { projectId, expenseId: 'e-1', category: 'equipment' as const, amount, incurredOn: '2026-03-05' }, metadata: at(now) });
    const incurred: BudgetEvent = {
      type: 'CostIncurred',
      data: { costId: 'expense:e-1', projectId, category: 'equipment', amount: eur(1_200), from: '2026-03-05', to: '2026-03-05', source: { kind: 'expense', id: 'e-1' }, resourceId: null, incurredAt: now },
    };
    it('books the expense as actual cost', () => spec.given([budgetSet]).when(expense()).then([incurred]));
    it('does nothing when recorded twice', () => spec.given([budgetSet, incurred]).when(expense()).thenNothingHappens());
    it('rejects a zero expense', () => spec.given([budgetSet]).when(expense(eur(0))).thenRejects('NEGATIVE_AMOUNT'));
    it('rejects another currency than the forecast when no budget or cost is recorded yet', () => {
      spec.given([revised(1_000, 1_000)]).when(expense(money(5, 'XXX'))).thenRejects('CURRENCY_MISMATCH', 'invalid');
    });
  });
  describe('one currency per project, whichever comes first', () => {
    it('a forecast fixes the currency for actual costs', () => {
      spec.given([revised(1_000, 1_000)]).when({ ...actual('x', 1), data: { ...actual('x', 1).data, amount: money(100, 'USD') } }).thenRejects('CURRENCY_MISMATCH', 'invalid');
    });
    it('a forecast fixes the currency for a later forecast', () => {
      spec.given([revised(1_000, 1_000)]).when({ ...etc(1), data: { projectId, estimateToComplete: money(100, 'USD') } }).thenRejects('CURRENCY_MISMATCH', 'invalid');
    });
    it('a forecast fixes the currency for the budget set after it', () => {
      const usd = (major: number) => money(major * 100, 'USD');
      const usdCategories = { labour: usd(60_000), equipment: usd(10_000), materials: usd(5_000), other: usd(5_000) };
      const usdBudget = { ...setCommand(), data: { ...setCommand().data, categories: usdCategories, contingency: usd(10_000), managementReserve: usd(20_000) } };
      spec.given([revised(1_000, 1_000)]).when(usdBudget).thenRejects('CURRENCY_MISMATCH', 'invalid');
    });
    it('a budget set after a forecast in its currency is accepted', () => {
      spec.given([revised(1_000, 1_000)]).when(setCommand()).then([budgetSet]);
    });
  });
});
