import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { resourceOverallocatedV1, taskScheduleChangedV1 } from '@pm/contracts';
import { PgEventStore, WritePath, createPgPool, runMigrations } from '@pm/platform/event-store';
import type { ProjectionEvent } from '@pm/platform/projections';
import { createTestDatabase } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { RISK_MIGRATIONS, loadSignalBook } from '@pm/risk/data-access';
import { AutomaticRiskSignals } from './automatic-risk.signals';
import { SignalEventsReactor } from './signal-events.reactor';

const tenant = 'tenant-signals';
const projectId = randomUUID();
const resourceId = randomUUID();
const at = '2026-03-03T09:00:00.000Z';

function event(type: string, data: unknown, tenantId = tenant): ProjectionEvent {
  return { eventId: randomUUID(), type, schemaVersion: 1, tenantId, streamId: `stream:${tenantId}:x`, streamVersion: 1, occurredAt: at, recordedAt: at, data };
}
const taskChanged = (critical: boolean) => event('pm.planning.TaskScheduleChanged', { ...taskScheduleChangedV1.example, projectId, taskId: 'build', critical, totalFloat: critical ? 0 : 3 });
const overallocated = (tenantId = tenant) =>
  event('pm.resource.ResourceOverallocated', { ...resourceOverallocatedV1.example, resourceId, periods: [{ from: '2026-03-09', to: '2026-03-13', minutesOver: 600, taskIds: ['build', 'test'] }], totalMinutesOver: 600 }, tenantId);

/** The resource path of the rules (ADR 0303) against the real PostgreSQL: the critical-task copy, the book, the write path. */
describe('Automatic risks from planning and resource events (real PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let reactor: SignalEventsReactor;

  async function inConsumerTransaction(e: ProjectionEvent): Promise<void> {
    const tx = await pool.connect();
    try {
      await tx.query('BEGIN');
      await reactor.apply(e, tx);
      await tx.query('COMMIT');
    } catch (error) {
      await tx.query('ROLLBACK');
      throw error;
    } finally {
      tx.release();
    }
  }
  const rows = async () =>
    (await pool.query("SELECT risk_id, rule_id, subject, status, closure_proposed, stream_version FROM risk_register WHERE tenant_id = $1 AND origin = 'automatic' ORDER BY risk_id", [tenant])).rows;

  beforeAll(async () => {
    db = await createTestDatabase('risk_automatic_signals');
    await runMigrations(db.url, RISK_MIGRATIONS);
    pool = createPgPool(db.url);
    reactor = new SignalEventsReactor(new AutomaticRiskSignals(new WritePath(new PgEventStore(pool)), pool));
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  it('raises for a critical task only, once per finding, and proposes closure when the task leaves the critical path', async () => {
    await inConsumerTransaction(taskChanged(true));
    expect(await rows()).toEqual([]);

    await inConsumerTransaction(overallocated());
    const raised = await rows();
    expect(raised).toEqual([
      expect.objectContaining({ rule_id: 'overallocated-critical-task', status: 'identified', closure_proposed: false, subject: expect.objectContaining({ kind: 'resource-on-task', projectId, taskId: 'build', resourceId }) }),
    ]);
    const book = await loadSignalBook(pool, tenant, { resourceId });
    expect([...book.values()].map((r) => r.status)).toEqual(['open']);

    // The same finding again, under another event id (a re-published copy): nothing new.
    await inConsumerTransaction(overallocated());
    expect(await rows()).toEqual(raised);

    // Another tenant's finding about the same ids raises its own risk, not in this tenant's register.
    await inConsumerTransaction(overallocated('tenant-other'));
    expect(await rows()).toEqual(raised);
    expect((await loadSignalBook(pool, 'tenant-other', { resourceId })).size).toBe(0);

    await inConsumerTransaction(taskChanged(false));
    expect(await rows()).toEqual([expect.objectContaining({ risk_id: raised[0].risk_id, status: 'identified', closure_proposed: true })]);
    expect((await pool.query('SELECT count(*)::int AS n FROM risk_critical_tasks WHERE tenant_id = $1', [tenant])).rows[0].n).toBe(0);

    // The task turns critical again while the resource's latest finding still names it: judged again, the signal is
    // back on the same risk (the closure proposal withdrawn), without waiting for the resource's next finding.
    await inConsumerTransaction(taskChanged(true));
    expect(await rows()).toEqual([expect.objectContaining({ risk_id: raised[0].risk_id, status: 'identified', closure_proposed: false })]);
    // Redelivered: the task is critical already, nothing is judged again.
    const before = await rows();
    await inConsumerTransaction(taskChanged(true));
    expect(await rows()).toEqual(before);
  });
});
