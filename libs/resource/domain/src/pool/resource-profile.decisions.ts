import { invalid } from '@pm/shared/ddd';
import type { RecordLeave, RecordSkill, ScheduleCostRate, SetAvailability } from './resource.commands';
import type { AvailabilitySet, CostRateScheduled, LeaveRecorded, SkillRecorded } from './resource.events';
import {
  availabilityMustBeAPercentage,
  dateMustBeValid,
  nameMustNotBeBlank,
  onlyResourceManagersEditRates,
  rateMustBeNonNegative,
  ratesMustShareCurrency,
  resourceMustBeAPerson,
  resourceMustBeLabour,
  resourceMustExist,
} from './resource.rules';
import type { ResourceState } from './resource.state';

const PROFICIENCY = [1, 2, 3, 4, 5];

export function recordSkill(command: RecordSkill, state: ResourceState): SkillRecorded[] {
  resourceMustExist(state);
  resourceMustBeLabour(state.resource);
  const skill = nameMustNotBeBlank(command.data.skill, 'skill').toLowerCase();
  if (!PROFICIENCY.includes(command.data.level)) throw invalid('PROFICIENCY_OUT_OF_RANGE', 'level must be 1..5');
  if (state.resource.skills.get(skill) === command.data.level) return [];
  return [{ type: 'SkillRecorded', data: { resourceId: state.resource.resourceId, skill, level: command.data.level, recordedAt: command.metadata.now } }];
}

/**
 * Adds or replaces one row of the rate table. Costs already incurred were priced when they were approved
 * and carry their amount, so a back-dated row changes forecasts, never recorded actuals.
 */
export function scheduleCostRate(command: ScheduleCostRate, state: ResourceState): CostRateScheduled[] {
  const { data, metadata } = command;
  onlyResourceManagersEditRates(data.caller);
  resourceMustExist(state);
  resourceMustBeLabour(state.resource);
  dateMustBeValid(data.effectiveFrom, 'effectiveFrom');
  const overtimeRate = data.overtimeRate ?? data.standardRate;
  rateMustBeNonNegative(data.standardRate, 'standardRate');
  rateMustBeNonNegative(overtimeRate, 'overtimeRate');
  if (overtimeRate.currency !== data.standardRate.currency) throw invalid('RATE_CURRENCY_MISMATCH', 'both rates need one currency');
  ratesMustShareCurrency(state.resource.rates, data.standardRate);
  const same = state.resource.rates.find((r) => r.effectiveFrom === data.effectiveFrom);
  if (same && same.standardRate.amountMinor === data.standardRate.amountMinor && same.overtimeRate.amountMinor === overtimeRate.amountMinor) {
    return [];
  }
  return [
    {
      type: 'CostRateScheduled',
      data: {
        resourceId: state.resource.resourceId,
        effectiveFrom: data.effectiveFrom,
        standardRate: data.standardRate,
        overtimeRate,
        scheduledBy: metadata.actor,
        scheduledAt: metadata.now,
      },
    },
  ];
}

export function setAvailability(command: SetAvailability, state: ResourceState): AvailabilitySet[] {
  resourceMustExist(state);
  resourceMustBeAPerson(state.resource);
  availabilityMustBeAPercentage(command.data.availabilityPercent);
  const previousPercent = state.resource.availabilityPercent;
  if (previousPercent === command.data.availabilityPercent) return [];
  return [
    {
      type: 'AvailabilitySet',
      data: { resourceId: state.resource.resourceId, availabilityPercent: command.data.availabilityPercent, previousPercent, setAt: command.metadata.now },
    },
  ];
}

export function recordLeave(command: RecordLeave, state: ResourceState): LeaveRecorded[] {
  resourceMustExist(state);
  resourceMustBeAPerson(state.resource);
  const { from, to } = command.data;
  dateMustBeValid(from, 'from');
  dateMustBeValid(to, 'to');
  if (to < from) throw invalid('LEAVE_ENDS_BEFORE_IT_STARTS', `leave ${from}..${to} ends before it starts`);
  if (state.resource.leave.some((l) => l.from <= from && l.to >= to)) return [];
  return [
    {
      type: 'LeaveRecorded',
      data: { resourceId: state.resource.resourceId, from, to, reason: command.data.reason?.trim() || null, recordedAt: command.metadata.now },
    },
  ];
}
