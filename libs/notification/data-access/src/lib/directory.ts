import type { Pool, PoolClient } from 'pg';

type Queryable = Pick<Pool | PoolClient, 'query'>;

export interface DirectoryEntry {
  readonly userId: string;
  readonly roles: readonly string[];
  readonly ownProjects: readonly string[];
}

/** At most this many people are asked about one event (the router caps recipients again). */
export const MAX_CANDIDATES = 10_000;

/** The key `candidatesMany` answers under for a tenant's event of a project (null: tenant-wide). */
export const candidatesKey = (tenantId: string, projectId: string | null): string => `${tenantId}\u0000${projectId ?? ''}`;

/**
 * Who has which role where (ADR 0401): project managers from planning's projects, risk owners from the register, and
 * the roles of everyone who has called this service with a token. A service never reads another's tables, so this is
 * all it knows; a person who never called and whom no event names hears nothing until they do.
 */
export class NotificationDirectory {
  async assign(q: Queryable, tenantId: string, userId: string, role: string, projectId: string, source: string): Promise<void> {
    await q.query(`INSERT INTO notification_directory (tenant_id, user_id, role, project_id, source) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`, [
      tenantId,
      userId,
      role,
      projectId,
      source,
    ]);
  }

  /** The token's roles, held tenant-wide; a role the token no longer carries is dropped. */
  async rememberToken(q: Queryable, tenantId: string, userId: string, roles: readonly string[]): Promise<void> {
    await q.query(
      `WITH gone AS (DELETE FROM notification_directory WHERE tenant_id = $1 AND user_id = $2 AND project_id = '' AND source = 'token' AND NOT (role = ANY($3::text[])))
       INSERT INTO notification_directory (tenant_id, user_id, role, project_id, source) SELECT $1, $2, unnest($3::text[]), '', 'token' ON CONFLICT DO NOTHING`,
      [tenantId, userId, [...roles]],
    );
  }

  async subscribed(q: Queryable, tenantId: string, userId: string, subscriptionId: string, active: boolean): Promise<void> {
    const sql = active
      ? 'INSERT INTO notification_subscribers (tenant_id, user_id, subscription_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING'
      : 'DELETE FROM notification_subscribers WHERE tenant_id = $1 AND user_id = $2 AND subscription_id = $3';
    await q.query(sql, [tenantId, userId, subscriptionId]);
  }

  /** Whether planning named this person the project's manager (the only project role events tell). */
  async managesProject(q: Queryable, tenantId: string, userId: string, projectId: string): Promise<boolean> {
    const { rows } = await q.query(`SELECT 1 FROM notification_directory WHERE tenant_id = $1 AND user_id = $2 AND role = 'project-manager' AND project_id = $3 LIMIT 1`, [tenantId, userId, projectId]);
    return rows.length > 0;
  }

  /**
   * {@link candidates} for several (tenant, project) pairs in one round trip: a consumer batch's events, read before
   * its first handler. The same people, roles, own projects, order and cap per pair as `candidates` gives.
   */
  async candidatesMany(q: Queryable, pairs: ReadonlyArray<{ readonly tenantId: string; readonly projectId: string | null }>): Promise<Map<string, DirectoryEntry[]>> {
    const found = new Map<string, DirectoryEntry[]>();
    const keys = new Map<string, { tenantId: string; projectId: string }>();
    for (const { tenantId, projectId } of pairs) {
      const key = candidatesKey(tenantId, projectId);
      keys.set(key, { tenantId, projectId: projectId ?? '' });
      found.set(key, []);
    }
    if (keys.size === 0) return found;
    const { rows } = await q.query<{ tenant_id: string; project_id: string; user_id: string; roles: string[]; own_projects: string[] }>(
      `WITH pairs AS (SELECT * FROM unnest($1::text[], $2::text[]) AS k(tenant_id, project_id)),
       people AS (
         SELECT k.tenant_id, k.project_id, d.user_id FROM pairs k
           JOIN notification_directory d ON d.tenant_id = k.tenant_id AND (d.project_id = '' OR d.project_id = k.project_id)
         UNION SELECT k.tenant_id, k.project_id, s.user_id FROM pairs k JOIN notification_subscribers s ON s.tenant_id = k.tenant_id
       ),
       entries AS (
         SELECT p.tenant_id, p.project_id, p.user_id,
                COALESCE(array_agg(DISTINCT d.role) FILTER (WHERE d.role IS NOT NULL), '{}') AS roles,
                COALESCE(array_agg(DISTINCT d.project_id) FILTER (WHERE d.role = 'project-manager' AND d.project_id <> ''), '{}') AS own_projects,
                row_number() OVER (PARTITION BY p.tenant_id, p.project_id ORDER BY p.user_id) AS n
         FROM people p LEFT JOIN notification_directory d ON d.tenant_id = p.tenant_id AND d.user_id = p.user_id AND (d.project_id = '' OR d.project_id = p.project_id)
         GROUP BY p.tenant_id, p.project_id, p.user_id
       )
       SELECT tenant_id, project_id, user_id, roles, own_projects FROM entries WHERE n <= $3 ORDER BY tenant_id, project_id, user_id`,
      [[...keys.values()].map((k) => k.tenantId), [...keys.values()].map((k) => k.projectId), MAX_CANDIDATES],
    );
    for (const r of rows) found.get(candidatesKey(r.tenant_id, r.project_id === '' ? null : r.project_id))?.push({ userId: r.user_id, roles: r.roles, ownProjects: r.own_projects });
    return found;
  }

  /** Everyone who may hear of an event of `projectId` (null: a tenant-wide event), with their roles and own projects. */
  async candidates(q: Queryable, tenantId: string, projectId: string | null): Promise<DirectoryEntry[]> {
    const { rows } = await q.query<{ user_id: string; roles: string[]; own_projects: string[] }>(
      `WITH people AS (
         SELECT user_id FROM notification_directory WHERE tenant_id = $1 AND (project_id = '' OR project_id = $2)
         UNION SELECT user_id FROM notification_subscribers WHERE tenant_id = $1
       )
       SELECT p.user_id,
              COALESCE(array_agg(DISTINCT d.role) FILTER (WHERE d.role IS NOT NULL), '{}') AS roles,
              COALESCE(array_agg(DISTINCT d.project_id) FILTER (WHERE d.role = 'project-manager' AND d.project_id <> ''), '{}') AS own_projects
       FROM people p LEFT JOIN notification_directory d ON d.tenant_id = $1 AND d.user_id = p.user_id AND (d.project_id = '' OR d.project_id = $2)
       GROUP BY p.user_id ORDER BY p.user_id LIMIT $3`,
      [tenantId, projectId ?? '', MAX_CANDIDATES],
    );
    return rows.map((r) => ({ userId: r.user_id, roles: r.roles, ownProjects: r.own_projects }));
  }
}
