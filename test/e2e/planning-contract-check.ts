import { contractRegistry } from '@pm/contracts';

interface ReportedEvent {
  readonly type: string;
  readonly data: unknown;
}

const reported = (body: unknown): ReportedEvent[] => {
  if (typeof body !== 'object' || body === null) return [];
  const b = body as { changes?: ReportedEvent[]; calculation?: ReportedEvent[]; schedule?: unknown };
  return [...(b.changes ?? []), ...(b.calculation ?? []), ...reported(b.schedule)];
};

/** A supertest assertion: every event in a response's `changes`/`calculation` parses with its latest public contract. */
export function eventsMatchTheirContracts(res: { body: unknown }): void {
  for (const event of reported(res.body)) {
    const type = `pm.planning.${event.type}`;
    const parsed = contractRegistry.latest(type).schema.safeParse(event.data);
    if (!parsed.success) throw new Error(`${type} does not match its contract: ${JSON.stringify(parsed.error.issues)}`);
  }
}
