import type { Pool, PoolClient } from 'pg';

type Queryable = Pick<Pool | PoolClient, 'query'>;

export interface WebhookEndpointRow {
  readonly endpointId: string;
  readonly url: string;
  readonly description: string | null;
  readonly eventTypes: string[];
  readonly orderedBySubject: boolean;
  readonly privateAddressesAllowed: boolean;
  readonly status: 'enabled' | 'disabled';
  readonly keyId: string;
  readonly registeredAt: string;
  readonly consecutiveFailures: number;
}

export interface WebhookEndpointConfigurationRow {
  readonly url: string;
  readonly description: string | null;
  readonly eventTypes: readonly string[];
  readonly orderedBySubject: boolean;
  readonly privateAddressesAllowed: boolean;
}

const COLUMNS = `endpoint_id AS "endpointId", url, description, event_types AS "eventTypes", ordered_by_subject AS "orderedBySubject",
  private_allowed AS "privateAddressesAllowed", status, key_id AS "keyId", to_char(registered_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "registeredAt",
  consecutive_failures AS "consecutiveFailures"`;

export const MAX_WEBHOOK_ENDPOINTS_PER_TENANT = 100;

/**
 * The endpoints' rows: written in the transaction of each endpoint event (so the consumer matching events and the
 * routes agree with the stream at once) and by the delivery worker (failures in a row). Removed endpoints are hidden.
 */
export class WebhookEndpointsTable {
  async registered(q: Queryable, tenantId: string, endpointId: string, c: WebhookEndpointConfigurationRow, keyId: string, at: string): Promise<void> {
    await q.query(
      `INSERT INTO notification_webhook_endpoints (tenant_id, endpoint_id, url, description, event_types, ordered_by_subject, private_allowed, status, key_id, registered_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'enabled', $8, $9) ON CONFLICT (tenant_id, endpoint_id) DO NOTHING`,
      [tenantId, endpointId, c.url, c.description, [...c.eventTypes], c.orderedBySubject, c.privateAddressesAllowed, keyId, at],
    );
  }

  async reconfigured(q: Queryable, tenantId: string, endpointId: string, c: WebhookEndpointConfigurationRow): Promise<void> {
    await q.query(
      `UPDATE notification_webhook_endpoints SET url = $3, description = $4, event_types = $5, ordered_by_subject = $6, private_allowed = $7 WHERE tenant_id = $1 AND endpoint_id = $2`,
      [tenantId, endpointId, c.url, c.description, [...c.eventTypes], c.orderedBySubject, c.privateAddressesAllowed],
    );
  }

  async statusChanged(q: Queryable, tenantId: string, endpointId: string, status: 'enabled' | 'disabled'): Promise<void> {
    // Enabling starts the count of failures in a row from zero (the contract of WebhookEndpointEnabled).
    await q.query(`UPDATE notification_webhook_endpoints SET status = $3, consecutive_failures = CASE WHEN $3 = 'enabled' THEN 0 ELSE consecutive_failures END WHERE tenant_id = $1 AND endpoint_id = $2`, [tenantId, endpointId, status]);
  }

  async keyRotated(q: Queryable, tenantId: string, endpointId: string, keyId: string): Promise<void> {
    await q.query(`UPDATE notification_webhook_endpoints SET key_id = $3 WHERE tenant_id = $1 AND endpoint_id = $2`, [tenantId, endpointId, keyId]);
  }

  async removed(q: Queryable, tenantId: string, endpointId: string, at: string): Promise<void> {
    await q.query(`UPDATE notification_webhook_endpoints SET removed_at = $3, status = 'disabled' WHERE tenant_id = $1 AND endpoint_id = $2`, [tenantId, endpointId, at]);
    await q.query(`DELETE FROM notification_webhook_secrets WHERE tenant_id = $1 AND endpoint_id = $2`, [tenantId, endpointId]);
    await q.query(`UPDATE notification_webhook_deliveries SET status = 'cancelled', lease_token = NULL WHERE tenant_id = $1 AND endpoint_id = $2 AND status IN ('pending', 'waiting', 'paused')`, [tenantId, endpointId]);
  }

  /** A failed attempt adds one, a success resets to zero; returns the count after the change. */
  async countAttempt(q: Queryable, tenantId: string, endpointId: string, succeeded: boolean): Promise<number> {
    const { rows } = await q.query<{ n: number }>(
      `UPDATE notification_webhook_endpoints SET consecutive_failures = CASE WHEN $3 THEN 0 ELSE consecutive_failures + 1 END
       WHERE tenant_id = $1 AND endpoint_id = $2 RETURNING consecutive_failures AS n`,
      [tenantId, endpointId, succeeded],
    );
    return rows[0]?.n ?? 0;
  }

  async get(q: Queryable, tenantId: string, endpointId: string): Promise<WebhookEndpointRow | undefined> {
    const { rows } = await q.query<WebhookEndpointRow>(`SELECT ${COLUMNS} FROM notification_webhook_endpoints WHERE tenant_id = $1 AND endpoint_id = $2 AND removed_at IS NULL`, [tenantId, endpointId]);
    return rows[0];
  }

  async list(q: Queryable, tenantId: string): Promise<WebhookEndpointRow[]> {
    const { rows } = await q.query<WebhookEndpointRow>(`SELECT ${COLUMNS} FROM notification_webhook_endpoints WHERE tenant_id = $1 AND removed_at IS NULL ORDER BY registered_at, endpoint_id LIMIT $2`, [
      tenantId,
      MAX_WEBHOOK_ENDPOINTS_PER_TENANT,
    ]);
    return rows;
  }

  /** The event-type filters of each listed tenant's endpoints (removed ones left out): tenants without any are absent. */
  async filtersOf(q: Queryable, tenantIds: readonly string[]): Promise<Map<string, string[][]>> {
    const byTenant = new Map<string, string[][]>();
    if (tenantIds.length === 0) return byTenant;
    const { rows } = await q.query<{ tenantId: string; eventTypes: string[] }>(
      `SELECT tenant_id AS "tenantId", event_types AS "eventTypes" FROM notification_webhook_endpoints WHERE tenant_id = ANY($1::text[]) AND removed_at IS NULL`,
      [[...tenantIds]],
    );
    for (const r of rows) byTenant.set(r.tenantId, [...(byTenant.get(r.tenantId) ?? []), r.eventTypes]);
    return byTenant;
  }

  async count(q: Queryable, tenantId: string): Promise<number> {
    const { rows } = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM notification_webhook_endpoints WHERE tenant_id = $1 AND removed_at IS NULL`, [tenantId]);
    return rows[0].n;
  }

  async saveSecret(q: Queryable, tenantId: string, endpointId: string, keyId: string, ciphertext: string, at: string): Promise<void> {
    await q.query(`INSERT INTO notification_webhook_secrets (tenant_id, endpoint_id, key_id, ciphertext, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`, [tenantId, endpointId, keyId, ciphertext, at]);
  }

  async secrets(q: Queryable, tenantId: string, endpointId: string, keyIds: readonly string[]): Promise<Array<{ keyId: string; ciphertext: string }>> {
    const { rows } = await q.query<{ keyId: string; ciphertext: string }>(
      `SELECT key_id AS "keyId", ciphertext FROM notification_webhook_secrets WHERE tenant_id = $1 AND endpoint_id = $2 AND key_id = ANY($3::text[])`,
      [tenantId, endpointId, [...keyIds]],
    );
    return keyIds.flatMap((id) => rows.filter((r) => r.keyId === id));
  }
}
