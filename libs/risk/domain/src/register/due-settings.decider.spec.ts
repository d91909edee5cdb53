import { deciderSpecification } from '@pm/shared/ddd/testing';
import { dueSettingsDecider, dueSettingsStreamId } from './due-settings.decider';
import type { DueTimeZoneSet, SetDueTimeZone } from './due-settings.decider';

const spec = deciderSpecification(dueSettingsDecider);
const now = '2026-03-03T09:00:00.000Z';
const set = (timeZone: string): SetDueTimeZone => ({ type: 'SetDueTimeZone', data: { timeZone }, metadata: { now, actor: 'user:admin-1', tenantId: 'acme' } });
const wasSet = (timeZone: string, previousTimeZone = 'UTC'): DueTimeZoneSet => ({ type: 'DueTimeZoneSet', data: { timeZone, previousTimeZone, setBy: 'user:admin-1', setAt: now } });

describe('Tenant due-date settings', () => {
  it('names one stream per tenant and runs in UTC until a zone is set', () => {
    expect(dueSettingsStreamId('acme')).toBe('risk-due-settings:acme:default');
    expect(spec.given([]).state.timeZone).toBe('UTC');
  });

  it('sets a zone the runtime knows, and another after it', () => {
    spec.given([]).when(set('Europe/Berlin')).then([wasSet('Europe/Berlin')]);
    spec.given([wasSet('Europe/Berlin')]).when(set('America/New_York')).then([wasSet('America/New_York', 'Europe/Berlin')]);
  });

  it('changes nothing when the zone is the one set (UTC included)', () => {
    spec.given([wasSet('Europe/Berlin')]).when(set('Europe/Berlin')).thenNothingHappens();
    spec.given([]).when(set('UTC')).thenNothingHappens();
  });

  it('rejects a zone the runtime does not know', () => {
    spec.given([]).when(set('Mars/Olympus_Mons')).thenRejects('TIME_ZONE_UNKNOWN', 'invalid');
    spec.given([]).when(set('')).thenRejects('TIME_ZONE_UNKNOWN', 'invalid');
  });
});
