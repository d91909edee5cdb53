import { DomainError } from './domain-error';

/**
 * For `decide`: a command the type system says cannot exist still arrives at runtime when a caller sends raw JSON,
 * so it becomes a named rejection rather than a crash.
 */
export function unknownCommand(command: never): never {
  const type = (command as { type?: unknown } | null)?.type;
  throw new DomainError('UNKNOWN_COMMAND', 'invalid', `Unknown command type: ${String(type)}`, { type });
}

/**
 * For `evolve`: an event type this code does not know (written by a newer version) must not break replay, so the
 * state is returned unchanged. The `never` parameter keeps the switch exhaustive.
 */
export function ignoreUnknownEvent<S>(state: S, event: never): S {
  void event;
  return state;
}
