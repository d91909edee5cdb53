import { DomainError } from '../shared/domain-error';
import type { DomainErrorKind } from '../shared/domain-error';

export interface Decider<Command, Event, State> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

/** Given (past events) / when (command) / then (events or a rejection), in the style of Emmett. Specs only. */
export function deciderSpecification<Command, Event, State>(decider: Decider<Command, Event, State>) {
  return {
    given(events: readonly Event[]) {
      const state = events.reduce(decider.evolve, decider.initialState());
      return {
        when(command: Command) {
          const run = () => decider.decide(command, state);
          return {
            then(expected: readonly Event[]) {
              const actual = run();
              expect(actual).toEqual(expected);
              actual.reduce(decider.evolve, state);
            },
            thenNothingHappens() {
              expect(run()).toEqual([]);
            },
            thenRejects(code: string, kind?: DomainErrorKind) {
              let caught: unknown;
              try {
                run();
              } catch (error) {
                caught = error;
              }
              expect(caught).toBeInstanceOf(DomainError);
              expect((caught as DomainError).code).toBe(code);
              if (kind !== undefined) expect((caught as DomainError).kind).toBe(kind);
            },
            events: run,
          };
        },
        state,
      };
    },
  };
}

export const at = (now: string, actor = 'user:rm-1', tenantId = 'tenant-1') => ({ now, actor, tenantId });
