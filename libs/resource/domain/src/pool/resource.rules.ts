import type { Caller } from '../shared/command-metadata';
import { hasAnyRole } from '../shared/command-metadata';
import { conflict, forbidden, invalid, notFound } from '@pm/shared/ddd';
import { isIsoDate } from '@pm/shared/scheduling';
import type { Money } from '../shared/money';
import type { CostRate, GenericResource, Person, RegisteredResource, ResourceState } from './resource.state';

export function resourceMustNotExist(state: ResourceState): void {
  if (state.status === 'registered') {
    throw conflict('RESOURCE_ALREADY_EXISTS', `Resource ${state.resource.resourceId} already exists`, { resourceId: state.resource.resourceId });
  }
}

export function resourceMustExist(state: ResourceState): asserts state is { status: 'registered'; resource: RegisteredResource } {
  if (state.status !== 'registered') throw notFound('RESOURCE_NOT_FOUND', 'Resource does not exist');
}

export function resourceMustBeAPerson(resource: RegisteredResource): asserts resource is Person {
  if (resource.kind !== 'person') throw invalid('NOT_A_PERSON', `Resource ${resource.resourceId} is ${resource.kind}, not a person`);
}

/** Labour resources (people and the role placeholders that stand in for them) carry skills and rates. */
export function resourceMustBeLabour(resource: RegisteredResource): asserts resource is Person | GenericResource {
  if (resource.kind !== 'person' && resource.kind !== 'generic') {
    throw invalid('NOT_LABOUR', `Resource ${resource.resourceId} is ${resource.kind}: it has no skills or hourly rates`);
  }
}

/** Rates are pay data: only a resource manager or a PMO administrator may set them. */
export function onlyResourceManagersEditRates(caller: Caller): void {
  if (!hasAnyRole(caller, 'resource-manager', 'pmo-admin')) {
    throw forbidden('RATE_EDIT_FORBIDDEN', 'Only a resource-manager or pmo-admin may edit cost rates');
  }
}

export function availabilityMustBeAPercentage(percent: number): void {
  if (!Number.isInteger(percent) || percent < 0 || percent > 100) {
    throw invalid('AVAILABILITY_OUT_OF_RANGE', `availability ${percent} must be a whole percentage 0..100`);
  }
}

export function nameMustNotBeBlank(name: string, field = 'name'): string {
  const trimmed = name.trim();
  if (trimmed === '') throw invalid('BLANK_TEXT', `${field} must not be blank`, { field });
  return trimmed;
}

export function dateMustBeValid(date: string, field: string): void {
  if (!isIsoDate(date)) throw invalid('INVALID_DATE', `${field} ${date} is not a YYYY-MM-DD date`, { field });
}

export function rateMustBeNonNegative(rate: Money, field: string): void {
  if (rate.amountMinor < 0) throw invalid('NEGATIVE_RATE', `${field} must not be negative`, { field });
}

/** One currency per rate table, so costs of one person add up without conversion. */
export function ratesMustShareCurrency(rates: readonly CostRate[], rate: Money): void {
  const first = rates[0];
  if (first && first.standardRate.currency !== rate.currency) {
    throw invalid('RATE_CURRENCY_MISMATCH', `rates are in ${first.standardRate.currency}, not ${rate.currency}`);
  }
}

/** The row in force on `date`: the latest one effective on or before it (YYYY-MM-DD compares as text). */
export function rateInForceOn(rates: readonly CostRate[], date: string): CostRate | null {
  let found: CostRate | null = null;
  for (const rate of rates) {
    if (rate.effectiveFrom <= date) found = rate;
    else break;
  }
  return found;
}
