import { throughSnapshot } from '@pm/shared/ddd/testing';
import { at, deciderSpecification } from '../testing/decider-specification';
import { UTILISATION_WEEKS_PER_EVENT, utilisationDecider } from './utilisation.decider';
import type { RecordResourceUtilisation, UtilisationEvent, UtilisationProfile, UtilisationWeek } from './utilisation.decider';

const spec = deciderSpecification(utilisationDecider);
const ADA_ID = '5b1d7c3e-8f2a-4c6b-9d0e-1a2b3c4d5e6f';
const now = '2026-03-02T09:00:00.000Z';
const ada: UtilisationProfile = { name: 'Ada Lovelace', kind: 'person', role: 'Developer', department: 'IT Delivery' };
const w = (weekStart: string, capacityMinutes: number, demandMinutes: number): UtilisationWeek => ({ weekStart, capacityMinutes, demandMinutes });
const record = (weeks: UtilisationWeek[], profile: UtilisationProfile | null = ada): RecordResourceUtilisation => ({
  type: 'RecordResourceUtilisation',
  data: { resourceId: ADA_ID, profile, weeks },
  metadata: at(now),
});
const changed = (weeks: UtilisationWeek[], droppedWeeks: string[] = [], profile: UtilisationProfile = ada): UtilisationEvent => ({
  type: 'ResourceUtilisationChanged',
  data: { resourceId: ADA_ID, ...profile, weeks, droppedWeeks, calculatedAt: now },
});
const march = [w('2026-03-02', 2400, 1200), w('2026-03-09', 2400, 2880)];

/** Mondays from 2026-01-05 on. */
const mondays = (n: number): string[] => Array.from({ length: n }, (_, i) => new Date(Date.parse('2026-01-05') + i * 7 * 86_400_000).toISOString().slice(0, 10));

describe('Utilisation', () => {
  describe('RecordResourceUtilisation', () => {
    it('publishes every week the first time', () => spec.given([]).when(record(march)).then([changed(march)]));
    it('publishes nothing when the same figures arrive again (redelivery, rebuild of the read model)', () => spec.given([changed(march)]).when(record(march)).thenNothingHappens());
    it('publishes only the week whose demand moved', () => {
      spec.given([changed(march)]).when(record([march[0], w('2026-03-09', 2400, 2400)])).then([changed([w('2026-03-09', 2400, 2400)])]);
    });
    it('publishes a week that left the range as dropped, and one that joined it', () => {
      spec.given([changed(march)]).when(record([march[1], w('2026-03-16', 2400, 0)])).then([changed([w('2026-03-16', 2400, 0)], ['2026-03-02'])]);
    });
    it('publishes the new department with no week when only the profile moved', () => {
      const moved = { ...ada, department: 'Architecture' };
      spec.given([changed(march)]).when(record(march, moved)).then([changed([], [], moved)]);
    });
    it('drops every week under the last profile once the resource left the pool', () => {
      spec.given([changed(march)]).when(record([], null)).then([changed([], ['2026-03-02', '2026-03-09'])]);
    });
    it('publishes nothing for a resource never published and not in the pool', () => spec.given([]).when(record([], null)).thenNothingHappens());
    it('splits a change of more weeks than one event may name into bounded events, and the same rows then decide nothing', () => {
      const weeks = mondays(UTILISATION_WEEKS_PER_EVENT + 40).map((m) => w(m, 2400, 600));
      const events = utilisationDecider.decide(record(weeks), utilisationDecider.initialState());
      expect(events.map((e) => e.data.weeks.length)).toEqual([UTILISATION_WEEKS_PER_EVENT, 40]);
      expect(events.map((e) => e.data.weeks[0].weekStart)).toEqual([weeks[0].weekStart, weeks[UTILISATION_WEEKS_PER_EVENT].weekStart]);
      const state = events.reduce(utilisationDecider.evolve, utilisationDecider.initialState());
      expect(utilisationDecider.decide(record(weeks), throughSnapshot(state))).toEqual([]);
    });
    it('rejects an unknown command', () => spec.given([]).when({ type: 'Nope' } as never).thenRejects('UNKNOWN_COMMAND'));
  });
});
