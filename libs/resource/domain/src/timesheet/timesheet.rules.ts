import type { Caller } from '../shared/command-metadata';
import { hasAnyRole } from '../shared/command-metadata';
import { dayNumber, isIsoDate, weekdayOfDay } from '@pm/shared/scheduling';
import { forbidden, invalid } from '@pm/shared/ddd';
import { addMoney, costOfMinutes } from '../shared/money';
import type { Money } from '../shared/money';
import { rateInForceOn } from '../pool/resource.rules';
import type { CostRate } from '../pool/resource.state';
import type { PricedLine, TimesheetLine } from './timesheet.events';

/** A team member submits only their own time; resource managers and PMO admins may submit for anyone. */
export function onlyOwnTimesheet(caller: Caller, ownerUserId: string | null): void {
  if (hasAnyRole(caller, 'resource-manager', 'pmo-admin')) return;
  if (ownerUserId === null || ownerUserId !== caller.userId) {
    throw forbidden('NOT_YOUR_TIMESHEET', 'A team member may submit only their own timesheet');
  }
}

/**
 * Approving (or rejecting) is a managerial act, and nobody decides on their own time: not the one who submitted
 * the week (compared as actors, both as the events record them) and not the person whose time it is (compared as
 * logins), whoever submitted it for them.
 */
export function mayApprove(caller: Caller, submittedBy: string, ownerUserId: string | null): void {
  if (!hasAnyRole(caller, 'resource-manager', 'pmo-admin', 'project-manager')) {
    throw forbidden('APPROVAL_FORBIDDEN', 'Only a resource-manager, project-manager or pmo-admin approves timesheets');
  }
  if (caller.actor === submittedBy) throw forbidden('SELF_APPROVAL_FORBIDDEN', 'Nobody approves a timesheet they submitted');
  if (ownerUserId !== null && ownerUserId === caller.userId) throw forbidden('SELF_APPROVAL_FORBIDDEN', 'Nobody approves their own time');
}

export function linesMustFitTheWeek(weekStart: string, lines: readonly TimesheetLine[]): void {
  if (!isIsoDate(weekStart) || weekdayOfDay(dayNumber(weekStart)) !== 1) throw invalid('WEEK_MUST_START_ON_MONDAY', `${weekStart} is not a Monday`);
  if (lines.length === 0) throw invalid('EMPTY_TIMESHEET', 'a timesheet needs at least one line');
  const start = dayNumber(weekStart);
  const perDay = new Map<string, number>();
  for (const line of lines) {
    if (!isIsoDate(line.date) || dayNumber(line.date) < start || dayNumber(line.date) > start + 6) {
      throw invalid('LINE_OUTSIDE_WEEK', `line dated ${line.date} is outside the week of ${weekStart}`);
    }
    for (const m of [line.minutes, line.overtimeMinutes]) if (!Number.isInteger(m) || m < 0) throw invalid('BAD_MINUTES', 'minutes must be whole and not negative');
    perDay.set(line.date, (perDay.get(line.date) ?? 0) + line.minutes + line.overtimeMinutes);
  }
  for (const [date, total] of perDay) if (total > 24 * 60) throw invalid('DAY_OVER_24_HOURS', `more than 24 hours booked on ${date}`);
}

/** Each line at the standard and overtime rates in force on its own date, rounded once per line. */
export function priceLines(lines: readonly TimesheetLine[], rates: readonly CostRate[]): { lines: PricedLine[]; total: Money } {
  const priced = lines.map((line) => {
    const rate = rateInForceOn(rates, line.date);
    if (!rate) throw invalid('NO_RATE_IN_FORCE', `no cost rate is in force on ${line.date}`, { date: line.date });
    const cost = addMoney(costOfMinutes(rate.standardRate, line.minutes), costOfMinutes(rate.overtimeRate, line.overtimeMinutes));
    return { ...line, rateEffectiveFrom: rate.effectiveFrom, cost };
  });
  const total = priced.reduce((sum, l) => addMoney(sum, l.cost), { amountMinor: 0, currency: priced[0].cost.currency });
  return { lines: priced, total };
}
