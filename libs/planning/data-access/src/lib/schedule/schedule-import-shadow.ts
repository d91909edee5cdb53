import type { Pool, PoolClient } from 'pg';
import type { ScheduleImported, ScheduleStreamEvent } from '@pm/planning/domain';
import { readStagedEvents } from '@pm/platform/event-store';
import type { PgEventStore } from '@pm/platform/event-store';
import { recomputeProjectRollups } from './schedule-rollups';
import { ScheduleRowWriter } from './schedule-rows.writer';

const TABLES = ['planning_schedule_projects', 'planning_schedule_tasks', 'planning_schedule_links', 'planning_schedule_baselines', 'planning_schedule_baseline_tasks'];
/** Staged events applied per transaction while an import is prepared. */
const EVENTS_PER_TRANSACTION = 10_000;
/** The shadow project row's version once every chunk is in (while preparing it is 0). */
const PREPARED = -1;

/** Where an import's rows are built before its commit shows them: a project key no real project has (ids are UUIDs). */
export const shadowProjectKey = (importId: string): string => `import:${importId}`;

async function inTransaction(pool: Pool, work: (tx: PoolClient) => Promise<void>): Promise<void> {
  const tx = await pool.connect();
  try {
    await tx.query('BEGIN');
    await work(tx);
    await tx.query('COMMIT');
  } catch (err) {
    await tx.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    tx.release();
  }
}

/**
 * Builds a committed import's rows under the shadow key, in transactions of about 10,000 staged events, so no
 * transaction runs as long as the import (a long one would hold the server's xmin horizon back and with it every
 * xid8-safe reader of the service). Starts over from a copy of the project's rows each time: a preparation that
 * crashed half way is simply redone.
 */
export async function prepareImportRows(pool: Pool, store: PgEventStore, tenantId: string, projectId: string, commit: ScheduleImported['data']): Promise<void> {
  const shadow = shadowProjectKey(commit.importId);
  await inTransaction(pool, async (tx) => {
    for (const table of TABLES) await tx.query(`DELETE FROM ${table} WHERE tenant_id = $1 AND project_id = $2`, [tenantId, shadow]);
    for (const table of TABLES) {
      await tx.query(
        `INSERT INTO ${table} SELECT (jsonb_populate_record(NULL::${table}, to_jsonb(x) || jsonb_build_object('project_id', $3::text))).* FROM ${table} x
          WHERE tenant_id = $1 AND project_id = $2`,
        [tenantId, projectId, shadow],
      );
    }
    await tx.query('UPDATE planning_schedule_projects SET stream_version = 0 WHERE tenant_id = $1 AND project_id = $2', [tenantId, shadow]);
  });
  let pending: ScheduleStreamEvent[][] = [];
  let size = 0;
  const applyPending = () =>
    inTransaction(pool, async (tx) => {
      const writer = await ScheduleRowWriter.open(tx, tenantId, shadow, { deferRollups: true });
      for (const chunk of pending) {
        await writer.applyRun(chunk);
        await writer.checkpoint();
      }
      await writer.flush(0);
      pending = [];
      size = 0;
    });
  for await (const chunk of readStagedEvents(store, commit.stagingStreamId, tenantId)) {
    pending.push(chunk as unknown as ScheduleStreamEvent[]);
    size += chunk.length;
    if (size >= EVENTS_PER_TRANSACTION) await applyPending();
  }
  if (pending.length > 0) await applyPending();
  // Summaries roll up once, over the finished rows, with statistics that know the project's new size.
  await pool.query('ANALYZE planning_schedule_tasks');
  await inTransaction(pool, (tx) => recomputeProjectRollups(tx, tenantId, shadow));
  await pool.query('UPDATE planning_schedule_projects SET stream_version = $3 WHERE tenant_id = $1 AND project_id = $2', [tenantId, shadow, PREPARED]);
}

/**
 * In the lane transaction of the commit: the prepared rows replace the project's. False when there is no complete
 * preparation (the commit is then expanded in the lane transaction itself).
 */
export async function swapInImportRows(tx: PoolClient, tenantId: string, projectId: string, importId: string): Promise<boolean> {
  const shadow = shadowProjectKey(importId);
  const ready = await tx.query('SELECT 1 FROM planning_schedule_projects WHERE tenant_id = $1 AND project_id = $2 AND stream_version = $3', [tenantId, shadow, PREPARED]);
  if (ready.rows.length === 0) return false;
  for (const table of TABLES) await tx.query(`DELETE FROM ${table} WHERE tenant_id = $1 AND project_id = $2`, [tenantId, projectId]);
  for (const table of TABLES) await tx.query(`UPDATE ${table} SET project_id = $3 WHERE tenant_id = $1 AND project_id = $2`, [tenantId, shadow, projectId]);
  return true;
}
