import type { Aggregate, DomainEvent } from './aggregate';

/**
 * What an aggregate concludes from a plan's decisions, computed at once (a conclusion in steps is run to its end):
 * for callers without an event loop to share, such as tests and workers. The write path runs steps in time slices.
 */
export function concludeAtOnce<C, E extends DomainEvent, S>(aggregate: Aggregate<C, E, S>, state: S, decided: readonly E[]): E[] {
  if (!aggregate.conclude) return [];
  const concluded = aggregate.conclude(state, decided);
  if (Array.isArray(concluded)) return concluded;
  for (;;) {
    const step = concluded.next();
    if (step.done) return step.value;
  }
}
