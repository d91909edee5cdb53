import type { ContractEvent } from '@pm/contracts';
import { ignoreUnknownEvent, unknownCommand } from '@pm/shared/ddd';
import type { CommandMetadata } from '../shared/command-metadata';

/**
 * Weeks (moved plus dropped) one event names at most: the contract's bound (`UTILISATION_WEEKS_PER_EVENT` in
 * @pm/contracts, which domain code may not import; the write path validates every event against it).
 */
export const UTILISATION_WEEKS_PER_EVENT = 260;

/** What a week of a resource's utilisation read model holds, as the evaluator computed it (minutes). */
export interface UtilisationWeek {
  readonly weekStart: string;
  readonly capacityMinutes: number;
  readonly demandMinutes: number;
}

/** What reporting groups a resource by. */
export interface UtilisationProfile {
  readonly name: string;
  readonly kind: 'person' | 'generic' | 'equipment' | 'material';
  readonly role: string | null;
  readonly department: string | null;
}

/**
 * What was last published about one resource's weekly utilisation (ADR 0502). The fold updates `weeks` in place
 * (ADR 0008: the state belongs to the fold that built it): a resource has up to ~520 weeks, and copying them per event
 * would make the cost follow the history, not the change.
 */
export interface UtilisationState {
  profile: UtilisationProfile | null;
  readonly weeks: Map<string, { capacityMinutes: number; demandMinutes: number }>;
}

/**
 * The resource's utilisation rows as the evaluator just wrote them: every week of its range (`profile` null and no weeks
 * once the resource left the pool).
 */
export interface RecordResourceUtilisation {
  readonly type: 'RecordResourceUtilisation';
  readonly data: { resourceId: string; profile: UtilisationProfile | null; weeks: readonly UtilisationWeek[] };
  readonly metadata: CommandMetadata;
}

export type ResourceUtilisationChanged = ContractEvent<'resource', 'ResourceUtilisationChanged'>;
export type UtilisationCommand = RecordResourceUtilisation;
export type UtilisationEvent = ResourceUtilisationChanged;

export const initialUtilisationState = (): UtilisationState => ({ profile: null, weeks: new Map() });

const sameProfile = (a: UtilisationProfile, b: UtilisationProfile | null): boolean =>
  b !== null && a.name === b.name && a.kind === b.kind && a.role === b.role && a.department === b.department;

/**
 * Publishes only what moved: weeks whose capacity or demand differ from the last published figures, weeks that left
 * the range, and the profile when it changed. Unchanged figures (a redelivered planning event, a rebuild of the
 * resource read models) decide nothing. A change of more than `UTILISATION_WEEKS_PER_EVENT` weeks is split into
 * several events of the same decision, so every event stays bounded whatever the horizon.
 */
export function recordResourceUtilisation(command: RecordResourceUtilisation, state: UtilisationState): UtilisationEvent[] {
  const { resourceId, weeks } = command.data;
  // Once the resource left the pool its last profile names it; one never published has nothing to withdraw.
  const profile = command.data.profile ?? state.profile;
  if (profile === null) return [];
  const current = new Set<string>();
  const moved: UtilisationWeek[] = [];
  for (const w of weeks) {
    current.add(w.weekStart);
    const known = state.weeks.get(w.weekStart);
    if (!known || known.capacityMinutes !== w.capacityMinutes || known.demandMinutes !== w.demandMinutes) {
      moved.push({ weekStart: w.weekStart, capacityMinutes: w.capacityMinutes, demandMinutes: w.demandMinutes });
    }
  }
  const dropped = [...state.weeks.keys()].filter((weekStart) => !current.has(weekStart));
  const profileMoved = !sameProfile(profile, state.profile);
  if (moved.length === 0 && dropped.length === 0 && !profileMoved) return [];
  moved.sort((a, b) => (a.weekStart < b.weekStart ? -1 : 1));
  dropped.sort();
  const items: Array<UtilisationWeek | string> = [...moved, ...dropped];
  const events: UtilisationEvent[] = [];
  for (let i = 0; i === 0 || i < items.length; i += UTILISATION_WEEKS_PER_EVENT) {
    const chunk = items.slice(i, i + UTILISATION_WEEKS_PER_EVENT);
    events.push({
      type: 'ResourceUtilisationChanged',
      data: {
        resourceId,
        ...profile,
        weeks: chunk.filter((x): x is UtilisationWeek => typeof x !== 'string'),
        droppedWeeks: chunk.filter((x): x is string => typeof x === 'string'),
        calculatedAt: command.metadata.now,
      },
    });
  }
  return events;
}

export function decideUtilisation(command: UtilisationCommand, state: UtilisationState): UtilisationEvent[] {
  switch (command.type) {
    case 'RecordResourceUtilisation':
      return recordResourceUtilisation(command, state);
    default:
      // A one-member union does not narrow to never; raw JSON may still carry another type.
      return unknownCommand(command as never);
  }
}

export function evolveUtilisation(state: UtilisationState, event: UtilisationEvent): UtilisationState {
  switch (event.type) {
    case 'ResourceUtilisationChanged': {
      const { name, kind, role, department, weeks, droppedWeeks } = event.data;
      state.profile = { name, kind, role, department };
      for (const w of weeks) state.weeks.set(w.weekStart, { capacityMinutes: w.capacityMinutes, demandMinutes: w.demandMinutes });
      for (const weekStart of droppedWeeks) state.weeks.delete(weekStart);
      return state;
    }
    default:
      // A one-member union does not narrow to never; a stored event of another type is not this fold's.
      return ignoreUnknownEvent(state, event as never);
  }
}

export const utilisationDecider = { decide: decideUtilisation, evolve: evolveUtilisation, initialState: initialUtilisationState };
