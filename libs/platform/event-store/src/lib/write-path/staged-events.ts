import type { DomainEvent } from '@pm/shared/ddd';
import type { PgEventStore } from '../pg-event-store';

/**
 * The events a staged change committed, chunk by chunk in chunk order (ADR 0009): each event of the staging stream
 * carries `data.events`, the change's own events. Read in pages, so a 400,000-task import is never in memory at
 * once; only the owning tenant's staging stream is read.
 */
export async function* readStagedEvents(store: PgEventStore, stagingStreamId: string, tenantId: string, pageSize = 50): AsyncGenerator<DomainEvent[]> {
  for (let fromVersion = 1; ; fromVersion += pageSize) {
    const page = await store.readStream(stagingStreamId, { fromVersion, maxCount: pageSize, tenantId });
    for (const chunk of page) {
      const events = (chunk.data as { events?: unknown }).events;
      if (Array.isArray(events)) yield events as DomainEvent[];
    }
    if (page.length < pageSize) return;
  }
}
