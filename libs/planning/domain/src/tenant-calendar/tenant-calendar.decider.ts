import type { ContractEvent } from '@pm/contracts';
import type { CommandMetadata } from '../shared/command-metadata';
import { ignoreUnknownEvent, unknownCommand, sameValue, streamIdOf } from '@pm/shared/ddd';
import { STANDARD_CALENDAR, TENANT_DEFAULT_CALENDAR_ID, calendarMustBeUsable } from '../schedule/project-calendar';
import type { ProjectCalendar } from '../schedule/project-calendar';
import { normalisedCalendar } from '../schedule/schedule-setup.decisions';

/** One default working calendar per tenant; the tenant id is the stream's (and the envelope's) tenant. */
export const tenantCalendarStreamId = (tenantId: string): string => streamIdOf('tenant-calendar', tenantId, 'default');

/** Until a pmo-admin sets one, the tenant default is the standard Mon–Fri, 8 h calendar. */
export const BUILT_IN_TENANT_CALENDAR: ProjectCalendar = { ...STANDARD_CALENDAR, calendarId: TENANT_DEFAULT_CALENDAR_ID };

export interface SetDefaultCalendar {
  readonly type: 'SetDefaultCalendar';
  readonly data: { calendar: Omit<ProjectCalendar, 'calendarId'> };
  readonly metadata: CommandMetadata;
}
export type TenantCalendarCommand = SetDefaultCalendar;

export type DefaultCalendarSet = ContractEvent<'planning', 'DefaultCalendarSet'>;
export type TenantCalendarEvent = DefaultCalendarSet;

export type TenantCalendarState = { readonly status: 'built-in' } | { readonly status: 'set'; readonly calendar: ProjectCalendar };

export const initialTenantCalendarState = (): TenantCalendarState => ({ status: 'built-in' });

/** The calendar a schedule without its own runs on. */
export const tenantDefaultCalendar = (state: TenantCalendarState): ProjectCalendar => (state.status === 'set' ? state.calendar : BUILT_IN_TENANT_CALENDAR);

function setDefaultCalendar(command: SetDefaultCalendar, state: TenantCalendarState): DefaultCalendarSet[] {
  const calendar = normalisedCalendar({ ...command.data.calendar, calendarId: TENANT_DEFAULT_CALENDAR_ID });
  calendarMustBeUsable(calendar);
  if (state.status === 'set' && sameValue(normalisedCalendar(state.calendar), calendar)) return [];
  return [{ type: 'DefaultCalendarSet', data: { calendar, setBy: command.metadata.actor, setAt: command.metadata.now } }];
}

export function decideTenantCalendar(command: TenantCalendarCommand, state: TenantCalendarState): TenantCalendarEvent[] {
  if (command.type === 'SetDefaultCalendar') return setDefaultCalendar(command, state);
  // TypeScript does not narrow a one-member union to never; raw JSON may still carry another type at runtime.
  return unknownCommand(command as never);
}

export function evolveTenantCalendar(state: TenantCalendarState, event: TenantCalendarEvent): TenantCalendarState {
  if (event.type === 'DefaultCalendarSet') return { status: 'set', calendar: event.data.calendar };
  return ignoreUnknownEvent(state, event as never);
}

export const tenantCalendarDecider = { decide: decideTenantCalendar, evolve: evolveTenantCalendar, initialState: initialTenantCalendarState };
