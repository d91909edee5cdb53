import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { defaultCalendarSetV1 } from '@pm/contracts';
import { createPgPool, runMigrations } from '@pm/platform/event-store';
import type { ProjectionEvent } from '@pm/platform/projections';
import { DurableScheduler } from '@pm/platform/scheduler';
import { createTestDatabase } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { RISK_MIGRATIONS, tenantDueCalendar } from '@pm/risk/data-access';
import { ACTION_DUE, REVIEW_DUE } from './due-items';
import { DEFAULT_CALENDAR_SET, TenantCalendarReactor } from './tenant-calendar.reactor';

const tenant = 'tenant-calendar';
const calendarSet = (setAt: string, holidays: Array<{ date: string; name: string }>): ProjectionEvent => ({
  eventId: randomUUID(),
  type: DEFAULT_CALENDAR_SET,
  schemaVersion: 1,
  tenantId: tenant,
  streamId: `tenant-calendar-${tenant}`,
  streamVersion: 1,
  occurredAt: setAt,
  recordedAt: setAt,
  data: { ...defaultCalendarSetV1.example, calendar: { ...defaultCalendarSetV1.example.calendar, holidays }, setAt },
});

/** The tenant calendar for due dates (ADR 0302, "Due moment") against the real PostgreSQL: the row, its order guard, the pending items moved. */
describe('Tenant calendar for due dates (real PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let scheduler: DurableScheduler;
  let reactor: TenantCalendarReactor;

  async function inTransaction(work: (tx: PoolClient) => Promise<void>): Promise<void> {
    const tx = await pool.connect();
    try {
      await tx.query('BEGIN');
      await work(tx);
      await tx.query('COMMIT');
    } catch (error) {
      await tx.query('ROLLBACK');
      throw error;
    } finally {
      tx.release();
    }
  }
  const dueAt = async (kind: string, key: string) => (await scheduler.get(tenant, kind, key))?.dueAt.toISOString();

  beforeAll(async () => {
    db = await createTestDatabase('risk_tenant_calendar');
    await runMigrations(db.url, RISK_MIGRATIONS);
    pool = createPgPool(db.url);
    scheduler = new DurableScheduler({ name: 'risk-calendar-spec', pool, metrics: false });
    reactor = new TenantCalendarReactor(scheduler);
  });
  afterAll(async () => {
    await scheduler?.stop();
    await pool?.end();
    await db?.drop();
  });

  it('runs on the standard calendar in UTC until told otherwise', async () => {
    expect(await tenantDueCalendar(pool, tenant)).toEqual({ calendar: { workingWeekdays: [1, 2, 3, 4, 5], holidays: [], exceptions: [] }, timeZone: 'UTC' });
  });

  it('keeps the newest calendar, moves pending items both ways, and leaves an action item without its date alone', async () => {
    // Friday 2027-04-09: due at the end of it, on the standard calendar.
    await scheduler.scheduleMany([
      { tenantId: tenant, kind: REVIEW_DUE, key: 'r1', dueAt: new Date('2027-04-10T00:00:00.000Z'), payload: { riskId: 'r1', reviewOn: '2027-04-09' } },
      { tenantId: tenant, kind: ACTION_DUE, key: 'r1:a', dueAt: new Date('2027-04-10T00:00:00.000Z'), payload: { riskId: 'r1', actionId: 'a', dueOn: '2027-04-09' } },
      { tenantId: tenant, kind: ACTION_DUE, key: 'r1:old', dueAt: new Date('2027-04-10T00:00:00.000Z'), payload: { riskId: 'r1', actionId: 'old' } },
    ]);
    const holidays = [{ date: '2027-04-09', name: 'Friday off' }, { date: '2027-04-12', name: 'Monday off' }];
    await inTransaction((tx) => reactor.apply(calendarSet('2027-01-02T00:00:00.000Z', holidays), tx));
    expect(await dueAt(REVIEW_DUE, 'r1')).toBe('2027-04-14T00:00:00.000Z');
    expect(await dueAt(ACTION_DUE, 'r1:a')).toBe('2027-04-14T00:00:00.000Z');
    expect(await dueAt(ACTION_DUE, 'r1:old')).toBe('2027-04-10T00:00:00.000Z');
    // An older calendar redelivered after the newer one changes nothing.
    await inTransaction((tx) => reactor.apply(calendarSet('2027-01-01T00:00:00.000Z', []), tx));
    expect((await tenantDueCalendar(pool, tenant)).calendar.holidays).toEqual(holidays);
    expect(await dueAt(REVIEW_DUE, 'r1')).toBe('2027-04-14T00:00:00.000Z');
    // A newer one without the holidays brings the items back to Friday; then the zone moves them to Berlin's midnight.
    await inTransaction((tx) => reactor.apply(calendarSet('2027-01-03T00:00:00.000Z', []), tx));
    expect(await dueAt(REVIEW_DUE, 'r1')).toBe('2027-04-10T00:00:00.000Z');
    await inTransaction((tx) => reactor.timeZoneSet(tenant, 'Europe/Berlin', tx));
    expect(await dueAt(REVIEW_DUE, 'r1')).toBe('2027-04-09T22:00:00.000Z');
    expect(await dueAt(ACTION_DUE, 'r1:a')).toBe('2027-04-09T22:00:00.000Z');
    expect(await tenantDueCalendar(pool, tenant)).toMatchObject({ timeZone: 'Europe/Berlin', calendar: { holidays: [] } });
  });
});
