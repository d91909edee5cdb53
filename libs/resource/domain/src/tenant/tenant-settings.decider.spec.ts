import type { Caller } from '../shared/command-metadata';
import { at, deciderSpecification } from '../testing/decider-specification';
import { tenantSettingsDecider } from './tenant-settings.decider';
import type { TenantSettingsEvent } from './tenant-settings.decider';

const spec = deciderSpecification(tenantSettingsDecider);
const now = '2026-03-02T09:00:00.000Z';
const admin = { userId: 'pmo-1', actor: 'user:pmo-1', roles: ['pmo-admin' as const] };
const rm = { userId: 'rm-1', actor: 'user:rm-1', roles: ['resource-manager' as const] };
const fourDays = { workingWeekdays: [1, 2, 3, 4], hoursPerDay: 9, holidays: ['2026-12-25'] };
const calendarSet: TenantSettingsEvent = { type: 'TenantCalendarSet', data: { calendar: fourDays, setBy: 'user:rm-1', setAt: now } };

describe('TenantSettings', () => {
  describe('SetTenantCalendar', () => {
    const set = (calendar = fourDays, caller: Caller = rm) => ({ type: 'SetTenantCalendar' as const, data: { calendar, caller }, metadata: at(now, `user:${caller.userId}`) });
    it('sets the default calendar', () => spec.given([]).when(set()).then([calendarSet]));
    it('does nothing when unchanged', () => spec.given([calendarSet]).when(set()).thenNothingHappens());
    it('rejects a calendar without working days', () => spec.given([]).when(set({ ...fourDays, workingWeekdays: [] })).thenRejects('CALENDAR_INVALID', 'invalid'));
    it('forbids a project manager', () => spec.given([]).when(set(fourDays, { userId: 'pm', actor: 'user:pm', roles: ['project-manager'] })).thenRejects('SETTINGS_EDIT_FORBIDDEN', 'forbidden'));
  });

  describe('SetBudgetThreshold', () => {
    const set = (thresholdPercent: number, caller: Caller = admin) => ({ type: 'SetBudgetThreshold' as const, data: { thresholdPercent, caller }, metadata: at(now, `user:${caller.userId}`) });
    const thresholdSet: TenantSettingsEvent = { type: 'BudgetThresholdSet', data: { thresholdPercent: 90, setBy: 'user:pmo-1', setAt: now } };
    it('sets the threshold', () => spec.given([]).when(set(90)).then([thresholdSet]));
    it('does nothing when unchanged', () => spec.given([thresholdSet]).when(set(90)).thenNothingHappens());
    it('rejects zero', () => spec.given([]).when(set(0)).thenRejects('THRESHOLD_OUT_OF_RANGE'));
    it('is for PMO administrators only', () => spec.given([]).when(set(90, rm)).thenRejects('SETTINGS_EDIT_FORBIDDEN'));
  });
});
