import { EventStoreSchema1764100000000 } from './event-store.schema';
import { IdempotencyKeys1765200000000 } from './idempotency/idempotency-keys.migration';
import { EventStoreRecordedAtClock1765300000000 } from './recorded-at.migration';
import { EventStoreBinarySnapshots1764500000000 } from './snapshot-bytes.migration';

/** The store's own tables, in order: every service's migration list starts with these (and so gets `idempotency_keys`, ADR 0013). */
export const EVENT_STORE_MIGRATIONS = [EventStoreSchema1764100000000, EventStoreBinarySnapshots1764500000000, IdempotencyKeys1765200000000, EventStoreRecordedAtClock1765300000000];
