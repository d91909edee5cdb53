import { EventStoreSchema1764100000000 } from './event-store.schema';
import { EventStoreBinarySnapshots1764500000000 } from './snapshot-bytes.migration';

/** The store's own tables, in order: every service's migration list starts with these. */
export const EVENT_STORE_MIGRATIONS = [EventStoreSchema1764100000000, EventStoreBinarySnapshots1764500000000];
