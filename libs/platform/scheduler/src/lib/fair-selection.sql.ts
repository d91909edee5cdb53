/**
 * The claim-candidate query shared by the scheduler and the job runner: round-robin across tenants, oldest first
 * within a tenant, so one tenant's backlog never holds back another tenant's first item ("no tenant waits for
 * another"). Its cost follows the number of tenants with work and the batch size, not the backlog: tenants are
 * enumerated with a skip scan over `(tenant_id, ...)` and each contributes at most `perTenant` rows through an
 * index scan in `order` order.
 *
 * Rows come back without locks; the caller claims each one (the job runner with FOR UPDATE SKIP LOCKED, the scheduler
 * with an advisory lock that writes nothing, fire-item.ts) and re-checks that it is still claimable, which is what makes
 * the claim safe across replicas.
 */
export interface FairSelection {
  readonly table: string;
  /** Rows that are "active" for the partial index behind the skip scan, e.g. `${a}.state = 'pending'`. */
  readonly active: (alias: string) => string;
  /** Extra conditions for a row to be claimable now; may use the query's parameters. */
  readonly ready: (alias: string) => string;
  /** Columns to return (the tenant_id and the order column are always included). */
  readonly columns: readonly string[];
  /** Order within a tenant (due time, creation time). */
  readonly order: string;
  /** SQL expression (usually a parameter) capping the rows per tenant. */
  readonly perTenant: string;
  /** SQL expression (usually a parameter) capping the whole selection. */
  readonly limit: string;
  /** A per-tenant load (e.g. its running jobs): less loaded tenants come first, and `maxLoad` excludes the busy ones. */
  readonly tenantLoad?: (tenantAlias: string) => string;
  readonly maxLoad?: string;
}

export function fairSelectionSql(s: FairSelection): string {
  const cols = [...new Set(['tenant_id', s.order, ...s.columns])].map((c) => `s.${c}`).join(', ');
  const load = s.tenantLoad ? `(${s.tenantLoad('f')})` : '0';
  const loadFilter = s.tenantLoad && s.maxLoad ? `AND ${load} < ${s.maxLoad}` : '';
  return `
WITH RECURSIVE fair_tenants(tenant_id) AS (
  (SELECT t.tenant_id FROM ${s.table} t WHERE ${s.active('t')} ORDER BY t.tenant_id LIMIT 1)
  UNION ALL
  SELECT (SELECT t.tenant_id FROM ${s.table} t WHERE ${s.active('t')} AND t.tenant_id > f.tenant_id ORDER BY t.tenant_id LIMIT 1)
  FROM fair_tenants f WHERE f.tenant_id IS NOT NULL
), fair_candidates AS (
  SELECT c.*, ${load} AS tenant_load, row_number() OVER (PARTITION BY c.tenant_id ORDER BY c.${s.order}) AS fair_turn
  FROM fair_tenants f
  CROSS JOIN LATERAL (
    SELECT ${cols} FROM ${s.table} s
    WHERE s.tenant_id = f.tenant_id AND ${s.active('s')} AND ${s.ready('s')}
    ORDER BY s.${s.order} LIMIT ${s.perTenant}
  ) c
  WHERE f.tenant_id IS NOT NULL ${loadFilter}
)
SELECT * FROM fair_candidates ORDER BY tenant_load, fair_turn, ${s.order} LIMIT ${s.limit}`;
}
