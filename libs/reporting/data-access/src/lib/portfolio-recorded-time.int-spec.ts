import type { Pool } from 'pg';
import type { BoundedContext } from '@pm/contracts';
import { EVENT_STORE_MIGRATIONS, PgEventStore, createPgPool, runMigrations } from '@pm/platform/event-store';
import type { NewEvent, StoredEvent } from '@pm/platform/event-store';
import { parseCloudEvent, storedEventToKafkaMessage } from '@pm/platform/messaging';
import { projectionEventsOf } from '@pm/platform/projections';
import type { ProjectionEvent } from '@pm/platform/projections';
import { createTestDatabase } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { PortfolioScheduleProgress1764900500000 } from './portfolio-curves.schema';
import { PortfolioProjection } from './portfolio.projection';
import { PortfolioQueries } from './portfolio.queries';
import { PortfolioSchema1764800000000 } from './portfolio.schema';
import { PortfolioEventsOf } from './portfolio.test-events';

const MINUTE = 60_000;

/**
 * From a producer's store through the relay's CloudEvent to the portfolio rows (issue 13 point 3, ADR 0506): an event
 * counts from when its store recorded it, not from when it was decided. The finding this pins: the risk service's
 * exposure round creates its context (occurredAt) before it reads the risks it summarises, so under load it commits
 * after events decided later, and an `asOf` between the two commits showed figures recorded after the instant.
 */
describe('Portfolio time travel counts from the recorded time (real PostgreSQL, relay envelope)', () => {
  let storeDb: TestDatabase;
  let reportingDb: TestDatabase;
  let storePool: Pool;
  let reportingPool: Pool;
  let store: PgEventStore;
  const tenant = 'tenant-recorded';
  const projection = new PortfolioProjection();

  beforeAll(async () => {
    [storeDb, reportingDb] = await Promise.all([createTestDatabase('recorded_store'), createTestDatabase('recorded_reporting')]);
    await Promise.all([runMigrations(storeDb.url, EVENT_STORE_MIGRATIONS), runMigrations(reportingDb.url, [PortfolioSchema1764800000000, PortfolioScheduleProgress1764900500000])]);
    storePool = createPgPool(storeDb.url);
    reportingPool = createPgPool(reportingDb.url);
    store = new PgEventStore(storePool);
  });
  afterAll(async () => {
    await Promise.all([storePool.end(), reportingPool.end()]);
    await Promise.all([storeDb.drop(), reportingDb.drop()]);
  });

  /** Appends the event as its producer's write path would (decided at `occurredAt`) and reads back what the store recorded. */
  async function record(event: ProjectionEvent, occurredAt: number): Promise<StoredEvent> {
    const newEvent: NewEvent = {
      type: event.type,
      schemaVersion: event.schemaVersion,
      data: event.data,
      metadata: { eventId: event.eventId, tenantId: tenant, actor: 'system:exposure-refresher', correlationId: event.eventId, causationId: null, occurredAt: new Date(occurredAt).toISOString() },
    };
    await store.append(event.streamId, [newEvent], 'any');
    return (await store.readStream(event.streamId, { fromVersion: event.streamVersion }))[0];
  }

  /** What the relay publishes and the reporting consumer parses, then applies. */
  async function deliver(stored: readonly StoredEvent[]): Promise<void> {
    const tx = await reportingPool.connect();
    try {
      await tx.query('BEGIN');
      for (const e of stored) {
        const context: BoundedContext = e.type.startsWith('pm.risk.') ? 'risk' : 'planning';
        for (const event of projectionEventsOf(parseCloudEvent(storedEventToKafkaMessage(context, e).value))) await projection.apply(event, tx);
      }
      await tx.query('COMMIT');
    } finally {
      tx.release();
    }
  }

  it('an event decided before another but recorded after it does not show as of an instant between the two records', async () => {
    const p = new PortfolioEventsOf(tenant);
    const decided = Date.now();
    const created = await record(p.created('2026-01-01T00:00:00.000Z', 'Before'), decided - 60 * MINUTE);
    const calm = await record(p.exposure('2026-01-01T00:00:00.000Z', { critical: 0, high: 0, openIssues: 0, p80Finish: null }), decided - 50 * MINUTE);
    await new Promise((resolve) => setTimeout(resolve, 5));
    // Recorded first, decided last.
    const renamed = await record(p.renamed('2026-01-01T00:00:00.000Z', 'Recorded first'), decided);
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Decided half an hour before the rename (a slow round), recorded after it.
    const risky = await record(p.exposure('2026-01-01T00:00:00.000Z', { critical: 2, high: 1, openIssues: 1, p80Finish: null }), decided - 30 * MINUTE);

    const [recordedFirst, recordedLast] = [Date.parse(renamed.recordedAt), Date.parse(risky.recordedAt)];
    expect(recordedLast).toBeGreaterThan(recordedFirst + 1);
    const between = new Date(Math.floor((recordedFirst + recordedLast) / 2));
    // The old rule (occurredAt, published as `time`) counted the risky exposure from before the instant.
    expect(Date.parse(risky.occurredAt)).toBeLessThan(between.getTime());
    expect(Date.parse(risky.occurredAt)).toBeLessThan(Date.parse(renamed.occurredAt));

    await deliver([created, calm, renamed, risky]);
    const queries = new PortfolioQueries(reportingPool);
    const then = await queries.one(tenant, p.projectId, between);
    expect(then?.name).toBe('Recorded first');
    expect(then?.risk?.risksByRating).toMatchObject({ critical: 0, high: 0 });
    expect(await queries.position(tenant, between)).toEqual({ eventId: renamed.eventId, streamVersion: 2, recordedAt: renamed.recordedAt });
    const now = await queries.one(tenant, p.projectId, null);
    expect(now?.risk?.risksByRating).toMatchObject({ critical: 2, high: 1 });
    // Just before the rename's record: the calm exposure and the old name.
    const before = await queries.one(tenant, p.projectId, new Date(recordedFirst - 1));
    expect(before?.name).toBe('Before');
  });
});
