import { createRequire } from 'node:module';
import { testEvent } from '@pm/platform/testing';
import { STEPPED_APPEND_EVENTS, eventColumnLiteralsInSteps, eventColumns } from './pg-event-store.sql';

/** pg's own encoding of a query parameter (not in its type declarations). */
const { prepareValue } = createRequire(__filename)('pg/lib/utils') as { prepareValue: (value: unknown) => unknown };

describe('eventColumnLiteralsInSteps', () => {
  const hostile = ['"', '\\', '\\"', '{}', 'a,b', 'NULL', '', ' spaced ', 'é€😀', '\u2028', "it's"];
  const events = Array.from({ length: 2 * STEPPED_APPEND_EVENTS + 3 }, (_, i) => testEvent('tenant-"\\', hostile[i % hostile.length] || 'T', { s: hostile[i % hostile.length] }));

  it('gives, column by column, the array literal pg sends for the arrays, pausing between slices of events', () => {
    const steps = eventColumnLiteralsInSteps(events);
    let pauses = 0;
    let step = steps.next();
    while (!step.done) {
      pauses++;
      step = steps.next();
    }
    const arrays = eventColumns(events);
    for (const column of ['ids', 'types', 'versions', 'data', 'metadata', 'occurredAt'] as const) {
      expect(step.value[column]).toBe(prepareValue(arrays[column]));
    }
    // A pause after every 200 events: 1,003 events, 6 pauses.
    expect(pauses).toBe(6);
  });
});
