import type { DomainEvent } from '@pm/shared/ddd';
import type { PgEventStore } from '../pg-event-store';

/**
 * Parts read at once: each is up to 512 KiB of JSON and several times that once parsed, and a page is held until
 * its last part is applied. 50 read a whole 100,000-task import (43 parts) in one page, while the import's rows were built,
 * when the planning service's memory peaks (its goal: 1 GiB at that size); 8 bound a page to about 4 MiB of JSON.
 */
export const STAGED_PARTS_PER_READ = 8;

/**
 * The events a staged change committed, chunk by chunk in chunk order (ADR 0009): each event of the staging stream
 * carries `data.events`, the change's own events. Read in pages, so a 400,000-task import is never in memory at
 * once; only the owning tenant's staging stream is read.
 */
export async function* readStagedEvents(store: PgEventStore, stagingStreamId: string, tenantId: string, pageSize = STAGED_PARTS_PER_READ): AsyncGenerator<DomainEvent[]> {
  for (let fromVersion = 1; ; fromVersion += pageSize) {
    const page = await store.readStream(stagingStreamId, { fromVersion, maxCount: pageSize, tenantId });
    for (const chunk of page) {
      const events = (chunk.data as { events?: unknown }).events;
      if (Array.isArray(events)) yield events as DomainEvent[];
    }
    if (page.length < pageSize) return;
  }
}
