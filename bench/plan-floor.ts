/*
 * bench:plan's floors: what PostgreSQL alone takes for the rows a plan has, on the same server in the same run.
 * One row per task, holding the task's JSON as GET schedule returned it (so the rows are as many and as large as the
 * read model's would be); written in one transaction, in statements of 5,000 rows.
 */
import { performance } from 'node:perf_hooks';
import { Pool } from 'pg';
import { summarise } from './rig/stats';
import type { Summary } from './rig/stats';

const BATCH = 5_000;

export class PlanFloor {
  private readonly pool: Pool;

  constructor(url: string) {
    this.pool = new Pool({ connectionString: url, max: 4 });
  }

  async setUp(): Promise<void> {
    await this.pool.query('CREATE TABLE floor_tasks (project text NOT NULL, task_id text NOT NULL, data jsonb NOT NULL, PRIMARY KEY (project, task_id))');
  }

  /** ms to insert and commit one row per task. */
  async insert(project: string, tasks: ReadonlyArray<{ readonly taskId: string }>): Promise<number> {
    const batches: Array<[string[], string[]]> = [];
    for (let i = 0; i < tasks.length; i += BATCH) {
      const slice = tasks.slice(i, i + BATCH);
      batches.push([slice.map((t) => t.taskId), slice.map((t) => JSON.stringify(t))]);
    }
    const client = await this.pool.connect();
    try {
      const started = performance.now();
      await client.query('BEGIN');
      for (const [ids, data] of batches) {
        await client.query('INSERT INTO floor_tasks (project, task_id, data) SELECT $1, * FROM unnest($2::text[], $3::jsonb[])', [project, ids, data]);
      }
      await client.query('COMMIT');
      return performance.now() - started;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Median ms of `times` SELECTs of every row of the plan (parsed by the driver, as a reader would). */
  async select(project: string, times: number): Promise<number> {
    const runs: number[] = [];
    for (let i = 0; i < times; i++) {
      const started = performance.now();
      await this.pool.query('SELECT task_id, data FROM floor_tasks WHERE project = $1 ORDER BY task_id', [project]);
      runs.push(performance.now() - started);
    }
    return summarise(runs).p50;
  }

  /** ms to change one task's duration and commit. */
  updateOne(project: string, taskId: string): Promise<number> {
    return this.timed(`UPDATE floor_tasks SET data = jsonb_set(data, '{durationDays}', to_jsonb((data->>'durationDays')::numeric + 1)) WHERE project = $1 AND task_id = $2`, [project, taskId]);
  }

  /** ms to change every task's start and commit (what a change that moves them all writes at least). */
  updateAll(project: string): Promise<number> {
    return this.timed(`UPDATE floor_tasks SET data = jsonb_set(data, '{start}', to_jsonb(now()::date::text)) WHERE project = $1`, [project]);
  }

  /** Latencies of `times` SELECTs of the other tenant's 20 rows. */
  async selectNeighbour(times: number): Promise<Summary> {
    const runs: number[] = [];
    for (let i = 0; i < times; i++) {
      runs.push(await this.timed('SELECT task_id, data FROM floor_tasks WHERE project = $1 ORDER BY task_id', ['neighbour']));
    }
    return summarise(runs);
  }

  close(): Promise<void> {
    return this.pool.end();
  }

  private async timed(sql: string, params: unknown[]): Promise<number> {
    const started = performance.now();
    await this.pool.query(sql, params);
    return performance.now() - started;
  }
}
