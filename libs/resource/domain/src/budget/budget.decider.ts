import { invalid, ignoreUnknownEvent, unknownCommand, sameValue } from '@pm/shared/ddd';
import { isIsoDate } from '@pm/shared/scheduling';
import { addMoney, sameCurrency } from '../shared/money';
import type { Money } from '../shared/money';
import type { BudgetCommand, RecordActualCost, RecordExpense, ReviseForecast, SetProjectBudget } from './budget.commands';
import type { BudgetEvent } from './budget.events';
import { COST_CATEGORIES, amountsMustBeNonNegative, costBaseline, forecastAtCompletion, passesThreshold, thresholdMustBeSensible } from './budget.rules';
import type { BudgetState } from './budget.state';
import { initialBudgetState } from './budget.state';

/** After any change, the threshold event fires once on the way up and once on the way back down. */
function thresholdEvents(before: BudgetState, changes: BudgetEvent[], projectId: string, now: string): BudgetEvent[] {
  const after = changes.reduce(evolveBudget, before);
  if (!after.budget) return changes;
  const forecast = forecastAtCompletion(after, after.budget.currency);
  const passes = passesThreshold(forecast, after.budget);
  const baseline = costBaseline(after.budget);
  if (passes && !after.thresholdExceeded) {
    const actualToDate = after.actualToDate ?? { amountMinor: 0, currency: after.budget.currency };
    return [...changes, { type: 'BudgetThresholdExceeded', data: { projectId, forecastAtCompletion: forecast, costBaseline: baseline, thresholdPercent: after.budget.thresholdPercent, actualToDate, detectedAt: now } }];
  }
  if (!passes && after.thresholdExceeded) return [...changes, { type: 'BudgetForecastBackWithinThreshold', data: { projectId, forecastAtCompletion: forecast, costBaseline: baseline, detectedAt: now } }];
  return changes;
}

/**
 * One currency per project budget: conversion is a treasury decision, not something to do silently here. The
 * first of budget, actual cost or estimate to complete fixes it; a forecast alone fixes it as firmly as a cost.
 */
const projectCurrency = (state: BudgetState): string | undefined => state.budget?.currency ?? state.actualToDate?.currency ?? state.estimateToComplete?.currency;

function currencyMustMatch(state: BudgetState, amount: Money): void {
  const currency = projectCurrency(state);
  if (currency && currency !== amount.currency) {
    throw invalid('CURRENCY_MISMATCH', `the project's costs are in ${currency}, not ${amount.currency}`, { expected: currency, got: amount.currency });
  }
}

function setBudget(command: SetProjectBudget, state: BudgetState): BudgetEvent[] {
  const { projectId, categories, contingency, managementReserve, thresholdPercent } = command.data;
  const currency = contingency.currency;
  const amounts = [...COST_CATEGORIES.map((c) => categories[c]), contingency, managementReserve];
  amounts.forEach((m) => sameCurrency(m, contingency));
  amountsMustBeNonNegative(amounts);
  thresholdMustBeSensible(thresholdPercent);
  // A budget may be re-set in another currency only while no cost or forecast is recorded in the old one.
  if (state.actualToDate) sameCurrency(state.actualToDate, contingency);
  if (state.estimateToComplete) sameCurrency(state.estimateToComplete, contingency);
  const budget = { projectId, currency, categories, contingency, managementReserve, thresholdPercent };
  if (sameValue(state.budget, budget)) return [];
  return thresholdEvents(state, [{ type: 'ProjectBudgetSet', data: { ...budget, setBy: command.metadata.actor, setAt: command.metadata.now } }], projectId, command.metadata.now);
}

function recordExpense(command: RecordExpense, state: BudgetState): BudgetEvent[] {
  const { projectId, expenseId, category, amount, incurredOn } = command.data;
  const costId = `expense:${expenseId}`;
  if (state.counted.includes(costId)) return [];
  if (!isIsoDate(incurredOn)) throw invalid('INVALID_DATE', `incurredOn ${incurredOn} is not a date`);
  if (amount.amountMinor <= 0) throw invalid('NEGATIVE_AMOUNT', 'an expense is a positive amount');
  currencyMustMatch(state, amount);
  const incurred: BudgetEvent = {
    type: 'CostIncurred',
    data: { costId, projectId, category, amount, from: incurredOn, to: incurredOn, source: { kind: 'expense', id: expenseId }, resourceId: null, incurredAt: command.metadata.now },
  };
  return thresholdEvents(state, [incurred], projectId, command.metadata.now);
}

function recordActualCost(command: RecordActualCost, state: BudgetState): BudgetEvent[] {
  const { projectId, costId, category, amount } = command.data;
  if (state.counted.includes(costId)) return [];
  currencyMustMatch(state, amount);
  return thresholdEvents(state, [{ type: 'ActualCostRecorded', data: { projectId, costId, category, amount, recordedAt: command.metadata.now } }], projectId, command.metadata.now);
}

function reviseForecast(command: ReviseForecast, state: BudgetState): BudgetEvent[] {
  const { projectId, estimateToComplete } = command.data;
  if (estimateToComplete.amountMinor < 0) throw invalid('NEGATIVE_AMOUNT', 'estimate to complete must not be negative');
  currencyMustMatch(state, estimateToComplete);
  if (sameValue(state.estimateToComplete, estimateToComplete)) return [];
  const forecast = addMoney(state.actualToDate ?? { amountMinor: 0, currency: estimateToComplete.currency }, estimateToComplete);
  return thresholdEvents(state, [{ type: 'ForecastRevised', data: { projectId, estimateToComplete, forecastAtCompletion: forecast, revisedAt: command.metadata.now } }], projectId, command.metadata.now);
}

export function decideBudget(command: BudgetCommand, state: BudgetState): BudgetEvent[] {
  switch (command.type) {
    case 'SetProjectBudget':
      return setBudget(command, state);
    case 'RecordExpense':
      return recordExpense(command, state);
    case 'RecordActualCost':
      return recordActualCost(command, state);
    case 'ReviseForecast':
      return reviseForecast(command, state);
    default:
      return unknownCommand(command);
  }
}

const plus = (total: Money | null, amount: Money): Money => (total ? addMoney(total, amount) : amount);

export function evolveBudget(state: BudgetState, event: BudgetEvent): BudgetState {
  switch (event.type) {
    case 'ProjectBudgetSet': {
      const { setBy: _by, setAt: _at, ...budget } = event.data;
      return { ...state, budget };
    }
    case 'CostIncurred':
    case 'ActualCostRecorded':
      return { ...state, actualToDate: plus(state.actualToDate, event.data.amount), counted: [...state.counted, event.data.costId] };
    case 'ForecastRevised':
      return { ...state, estimateToComplete: event.data.estimateToComplete };
    case 'BudgetThresholdExceeded':
      return { ...state, thresholdExceeded: true };
    case 'BudgetForecastBackWithinThreshold':
      return { ...state, thresholdExceeded: false };
    default:
      return ignoreUnknownEvent(state, event);
  }
}

export const budgetDecider = { decide: decideBudget, evolve: evolveBudget, initialState: initialBudgetState };
