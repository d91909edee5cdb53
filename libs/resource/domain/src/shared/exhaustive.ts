import { DomainError } from './domain-error';

/** For `decide`: raw JSON can still carry a command type the compiler says cannot exist. */
export function unknownCommand(command: never): never {
  const type = (command as { type?: unknown } | null)?.type;
  throw new DomainError('UNKNOWN_COMMAND', 'invalid', `Unknown command type: ${String(type)}`, { type });
}

/** For `evolve`: an event written by a newer version must not break replay. */
export function ignoreUnknownEvent<S>(state: S, event: never): S {
  void event;
  return state;
}
