/**
 * A functional decider (Emmett style): `decide` turns a command and the current state into events or throws a
 * DomainError, `evolve` folds an event into the state and never throws. Pure: time and ids arrive in commands.
 */
export interface Decider<Command, Event, State> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}
