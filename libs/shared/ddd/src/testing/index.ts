import { DomainError } from '../lib/domain-error';
import type { DomainErrorKind } from '../lib/domain-error';
import type { Decider } from '../lib/decider';

/**
 * Given (past events) / when (command) / then (events or a rejection), in the style of Emmett's
 * DeciderSpecification. For specs only (it uses Jest's `expect`), hence a separate entry point.
 */
export function deciderSpecification<Command, Event, State>(decider: Decider<Command, Event, State>) {
  return {
    given(events: readonly Event[]) {
      // A fold may update its state in place, so every use folds the history afresh: no case sees another's state.
      const fold = () => events.reduce(decider.evolve, decider.initialState());
      return {
        when(command: Command) {
          const run = () => decider.decide(command, fold());
          return {
            then(expected: readonly Event[]) {
              const actual = run();
              expect(actual).toEqual(expected);
              // The new events must also fold cleanly onto the state they were decided from.
              actual.reduce(decider.evolve, fold());
            },
            thenNothingHappens() {
              expect(run()).toEqual([]);
            },
            thenRejects(code: string, kind?: DomainErrorKind): void {
              rejection(run, code, kind);
            },
            /** Like thenRejects, and hands back the error so a spec can check its details. */
            thenRejectsWith(code: string, kind?: DomainErrorKind): DomainError {
              return rejection(run, code, kind);
            },
            events: run,
          };
        },
        get state() {
          return fold();
        },
      };
    },
  };
}

function rejection(run: () => unknown, code: string, kind?: DomainErrorKind): DomainError {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(DomainError);
  expect((caught as DomainError).code).toBe(code);
  if (kind !== undefined) expect((caught as DomainError).kind).toBe(kind);
  return caught as DomainError;
}
export * from './snapshot-round-trip';
