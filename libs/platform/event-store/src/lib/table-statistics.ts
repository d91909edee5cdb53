import { Logger } from '@nestjs/common';
import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import { msFromEnv } from './pg-pool';

/** PostgreSQL's own analyze trigger (autovacuum_analyze_threshold + autovacuum_analyze_scale_factor × rows). */
export const ANALYZE_THRESHOLD_ROWS = 50;
export const ANALYZE_SCALE_FACTOR = 0.1;
/** One replica of a service analyzes at a time (the others skip that round). */
const ANALYZE_LOCK = 0x7374_6174; // 'stat'

/** `PG_ANALYZE_INTERVAL_MS` (default 60 s, 0 = off): how often the service looks for tables whose statistics are stale. */
export function analyzeIntervalFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  return msFromEnv(env, 'PG_ANALYZE_INTERVAL_MS', 60_000);
}

/**
 * Keeps the planner's statistics of the service's own tables current (ADR 0020). Read models grow in bulk (a
 * rebuild, a consumer catching up, an import), and a table whose statistics predate that growth gets plans made for a
 * handful of rows: the portfolio page of 500 projects ran a nested loop over every pair (250,000 rows compared, 310 ms)
 * where a hash join takes 5 ms. Autovacuum would analyze it eventually, or never where it is turned off (this
 * machine's PostgreSQL runs with `autovacuum = off`). Every `everyMs` (and once at start) each table of the service's
 * schema (its `search_path`'s first) modified past PostgreSQL's own analyze threshold since its last analyze is analyzed.
 */
export class TableStatistics implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('TableStatistics');
  private timer?: NodeJS.Timeout;
  private running: Promise<string[]> | null = null;

  constructor(
    private readonly pool: Pool,
    private readonly everyMs: number,
  ) {}

  onApplicationBootstrap(): void {
    if (this.everyMs <= 0) return;
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.everyMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Analyzes the tables past the threshold; returns their names (none while another replica is at it). */
  refresh(): Promise<string[]> {
    this.running ??= this.analyzeStale().finally(() => (this.running = null));
    return this.running;
  }

  private async analyzeStale(): Promise<string[]> {
    const client = await this.pool.connect().catch(() => null);
    if (!client) return [];
    try {
      const locked = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [ANALYZE_LOCK]);
      if (!locked.rows[0].ok) return [];
      try {
        // reltuples is -1 for a table never analyzed nor vacuumed: counted as empty, so 50 changes suffice.
        const stale = await client.query<{ name: string }>(
          `SELECT format('%I.%I', s.schemaname, s.relname) AS name
           FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
           WHERE s.schemaname = current_schema() AND s.n_mod_since_analyze > $1 + $2 * greatest(c.reltuples, 0)
           ORDER BY s.n_mod_since_analyze DESC`,
          [ANALYZE_THRESHOLD_ROWS, ANALYZE_SCALE_FACTOR],
        );
        const analyzed: string[] = [];
        for (const { name } of stale.rows) {
          await client.query(`ANALYZE ${name}`);
          analyzed.push(name);
        }
        if (analyzed.length) this.log.debug({ tables: analyzed }, 'statistics refreshed');
        return analyzed;
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [ANALYZE_LOCK]);
      }
    } catch (error) {
      this.log.warn({ err: (error as Error).message }, 'refreshing table statistics failed');
      return [];
    } finally {
      client.release();
    }
  }
}
