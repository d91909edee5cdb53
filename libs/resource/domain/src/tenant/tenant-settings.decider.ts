import type { ContractEvent } from '@pm/contracts';
import type { CalendarSpec } from '@pm/shared/scheduling';
import type { Caller, CommandMetadata } from '../shared/command-metadata';
import { hasAnyRole } from '../shared/command-metadata';
import { forbidden, invalid, ignoreUnknownEvent, unknownCommand, sameValue, streamIdOf } from '@pm/shared/ddd';
import { isIsoDate } from '@pm/shared/scheduling';

/** Per-tenant defaults: the calendar of people without their own, and the budget warning threshold. */
export interface SetTenantCalendar {
  readonly type: 'SetTenantCalendar';
  readonly data: { calendar: CalendarSpec; caller: Caller };
  readonly metadata: CommandMetadata;
}

export interface SetBudgetThreshold {
  readonly type: 'SetBudgetThreshold';
  readonly data: { thresholdPercent: number; caller: Caller };
  readonly metadata: CommandMetadata;
}

export type TenantCalendarSet = ContractEvent<'resource', 'TenantCalendarSet'>;

export type BudgetThresholdSet = ContractEvent<'resource', 'BudgetThresholdSet'>;

export type TenantSettingsCommand = SetTenantCalendar | SetBudgetThreshold;
export type TenantSettingsEvent = TenantCalendarSet | BudgetThresholdSet;
export interface TenantSettingsState {
  readonly calendar: CalendarSpec | null;
  readonly thresholdPercent: number | null;
}

/** Tenant-wide settings change everyone's capacity or every project's warning: administrators only. */
function onlyAdministrators(caller: Caller, ...roles: Array<'pmo-admin' | 'resource-manager'>): void {
  if (!hasAnyRole(caller, ...roles)) throw forbidden('SETTINGS_EDIT_FORBIDDEN', `Only ${roles.join(' or ')} may change tenant settings`);
}

/** The same rules the scheduling engine applies to a calendar, as named rejections. */
export function calendarMustBeUsable(calendar: CalendarSpec): void {
  const weekdays = calendar.workingWeekdays;
  if (weekdays.length === 0 || weekdays.some((d) => !Number.isInteger(d) || d < 0 || d > 6) || new Set(weekdays).size !== weekdays.length) {
    throw invalid('CALENDAR_INVALID', 'working weekdays must be distinct whole numbers 0 (Sunday) .. 6 (Saturday), at least one');
  }
  if (!(calendar.hoursPerDay > 0 && calendar.hoursPerDay <= 24)) throw invalid('CALENDAR_INVALID', 'hoursPerDay must be in (0, 24]');
  if (!calendar.holidays.every(isIsoDate) || !(calendar.exceptions ?? []).every((e) => isIsoDate(e.date))) throw invalid('CALENDAR_INVALID', 'dates must be YYYY-MM-DD');
}

export function decideTenantSettings(command: TenantSettingsCommand, state: TenantSettingsState): TenantSettingsEvent[] {
  const { metadata } = command;
  switch (command.type) {
    case 'SetTenantCalendar': {
      onlyAdministrators(command.data.caller, 'pmo-admin', 'resource-manager');
      calendarMustBeUsable(command.data.calendar);
      if (sameValue(state.calendar, command.data.calendar)) return [];
      return [{ type: 'TenantCalendarSet', data: { calendar: command.data.calendar, setBy: metadata.actor, setAt: metadata.now } }];
    }
    case 'SetBudgetThreshold': {
      onlyAdministrators(command.data.caller, 'pmo-admin');
      const { thresholdPercent } = command.data;
      if (!Number.isInteger(thresholdPercent) || thresholdPercent < 1 || thresholdPercent > 1000) throw invalid('THRESHOLD_OUT_OF_RANGE', 'thresholdPercent must be a whole number 1..1000');
      if (state.thresholdPercent === thresholdPercent) return [];
      return [{ type: 'BudgetThresholdSet', data: { thresholdPercent, setBy: metadata.actor, setAt: metadata.now } }];
    }
    default:
      return unknownCommand(command);
  }
}

export function evolveTenantSettings(state: TenantSettingsState, event: TenantSettingsEvent): TenantSettingsState {
  switch (event.type) {
    case 'TenantCalendarSet':
      return { ...state, calendar: event.data.calendar };
    case 'BudgetThresholdSet':
      return { ...state, thresholdPercent: event.data.thresholdPercent };
    default:
      return ignoreUnknownEvent(state, event);
  }
}

export const tenantSettingsDecider = {
  decide: decideTenantSettings,
  evolve: evolveTenantSettings,
  initialState: (): TenantSettingsState => ({ calendar: null, thresholdPercent: null }),
};

/** One settings stream per tenant. */
export const tenantSettingsStreamId = (tenantId: string): string => streamIdOf('tenant-settings', tenantId, 'default');
