import type { Pool, PoolClient } from 'pg';

type Queryable = Pick<Pool | PoolClient, 'query'>;

/**
 * `pending`: an attempt is scheduled; `waiting`: an earlier delivery of its subject on an ordered endpoint is not done;
 * `paused`: its endpoint is disabled (kept for redelivery); `succeeded`, `failed` (for good, until redelivered);
 * `cancelled`: the endpoint was removed.
 */
export type WebhookDeliveryStatus = 'pending' | 'waiting' | 'paused' | 'succeeded' | 'failed' | 'cancelled';

export interface NewWebhookDelivery {
  readonly deliveryId: string;
  readonly endpointId: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly subject: string;
  readonly payload: string;
  readonly status: 'pending' | 'waiting' | 'paused';
  readonly at: string;
}

export interface WebhookDeliveryRow {
  readonly deliveryId: string;
  readonly endpointId: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly subject: string;
  readonly status: WebhookDeliveryStatus;
  readonly attempts: number;
  readonly firstAttemptAt: Date | null;
  readonly nextAttemptAt: Date | null;
  readonly lastStatus: number | null;
  readonly createdAt: Date;
}

export interface WebhookAttemptRow {
  readonly attempt: number;
  readonly status: number | null;
  readonly error: string | null;
  readonly durationMs: number;
  readonly responseBody: string | null;
  readonly signedWith: string[];
  readonly attemptedAt: Date;
}

const COLUMNS = `delivery_id AS "deliveryId", endpoint_id AS "endpointId", event_id AS "eventId", event_type AS "eventType", subject, status, attempts,
  first_attempt_at AS "firstAttemptAt", next_attempt_at AS "nextAttemptAt", last_status AS "lastStatus", created_at AS "createdAt"`;
export const MAX_DELIVERY_PAGE = 200;

/** The delivery queue and log. Every statement names the tenant; nothing crosses tenants. */
export class WebhookDeliveriesTable {
  /** True when the row is new: a redelivered or replayed event finds its delivery and adds nothing. */
  async insert(q: Queryable, tenantId: string, d: NewWebhookDelivery): Promise<boolean> {
    const { rowCount } = await q.query(
      `INSERT INTO notification_webhook_deliveries (tenant_id, delivery_id, endpoint_id, event_id, event_type, subject, payload, status, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (tenant_id, delivery_id) DO NOTHING`,
      [tenantId, d.deliveryId, d.endpointId, d.eventId, d.eventType, d.subject, d.payload, d.status, d.at],
    );
    return rowCount === 1;
  }

  /** Is an earlier delivery of this subject on this endpoint still to be done (so a new one must wait)? */
  async subjectBusy(q: Queryable, tenantId: string, endpointId: string, subject: string, exceptDeliveryId: string): Promise<boolean> {
    const { rowCount } = await q.query(
      `SELECT 1 FROM notification_webhook_deliveries WHERE tenant_id = $1 AND endpoint_id = $2 AND subject = $3 AND delivery_id <> $4 AND status IN ('pending', 'waiting', 'paused') LIMIT 1`,
      [tenantId, endpointId, subject, exceptDeliveryId],
    );
    return (rowCount ?? 0) > 0;
  }

  /** The oldest waiting delivery of a subject, made pending (the caller schedules it). */
  async promoteNext(q: Queryable, tenantId: string, endpointId: string, subject: string): Promise<string | undefined> {
    const { rows } = await q.query<{ deliveryId: string }>(
      `UPDATE notification_webhook_deliveries SET status = 'pending' WHERE tenant_id = $1 AND delivery_id = (
         SELECT delivery_id FROM notification_webhook_deliveries WHERE tenant_id = $1 AND endpoint_id = $2 AND subject = $3 AND status = 'waiting' ORDER BY seq LIMIT 1
       ) RETURNING delivery_id AS "deliveryId"`,
      [tenantId, endpointId, subject],
    );
    return rows[0]?.deliveryId;
  }

  /**
   * After an endpoint is enabled: its paused deliveries go back to the queue — for an ordered endpoint only the oldest
   * of each subject is pending, the rest wait behind it. Returns the ids to schedule.
   */
  async resume(q: Queryable, tenantId: string, endpointId: string, ordered: boolean): Promise<string[]> {
    const { rows } = await q.query<{ deliveryId: string }>(
      `WITH paused AS (
         SELECT delivery_id, row_number() OVER (PARTITION BY subject ORDER BY seq) AS nth,
                EXISTS (SELECT 1 FROM notification_webhook_deliveries p WHERE p.tenant_id = d.tenant_id AND p.endpoint_id = d.endpoint_id AND p.subject = d.subject AND p.status = 'pending') AS busy
         FROM notification_webhook_deliveries d WHERE tenant_id = $1 AND endpoint_id = $2 AND status = 'paused'
       )
       UPDATE notification_webhook_deliveries d SET status = CASE WHEN NOT $3 OR (paused.nth = 1 AND NOT paused.busy) THEN 'pending' ELSE 'waiting' END
       FROM paused WHERE d.tenant_id = $1 AND d.delivery_id = paused.delivery_id
       RETURNING d.delivery_id AS "deliveryId", d.status`,
      [tenantId, endpointId, ordered],
    );
    return rows.filter((r) => (r as { status?: string }).status === 'pending').map((r) => r.deliveryId);
  }

  /** Locks the row for the worker's decision. */
  async lock(q: Queryable, tenantId: string, deliveryId: string): Promise<(WebhookDeliveryRow & { payload: string; leaseToken: string | null }) | undefined> {
    const { rows } = await q.query<WebhookDeliveryRow & { payload: string; leaseToken: string | null }>(
      `SELECT ${COLUMNS}, payload, lease_token AS "leaseToken" FROM notification_webhook_deliveries WHERE tenant_id = $1 AND delivery_id = $2 FOR UPDATE`,
      [tenantId, deliveryId],
    );
    return rows[0];
  }

  async lease(q: Queryable, tenantId: string, deliveryId: string, token: string, at: Date): Promise<void> {
    await q.query(`UPDATE notification_webhook_deliveries SET lease_token = $3, first_attempt_at = COALESCE(first_attempt_at, $4) WHERE tenant_id = $1 AND delivery_id = $2`, [tenantId, deliveryId, token, at]);
  }

  async setStatus(q: Queryable, tenantId: string, deliveryId: string, status: WebhookDeliveryStatus): Promise<void> {
    await q.query(`UPDATE notification_webhook_deliveries SET status = $3, lease_token = NULL WHERE tenant_id = $1 AND delivery_id = $2`, [tenantId, deliveryId, status]);
  }

  /** Manual redelivery: back to the queue with a fresh 24-hour window (the attempt numbers go on). */
  async requeue(q: Queryable, tenantId: string, deliveryId: string, status: 'pending' | 'waiting' | 'paused'): Promise<void> {
    await q.query(`UPDATE notification_webhook_deliveries SET status = $3, lease_token = NULL, first_attempt_at = NULL, next_attempt_at = NULL WHERE tenant_id = $1 AND delivery_id = $2`, [
      tenantId,
      deliveryId,
      status,
    ]);
  }

  async recordAttempt(
    q: Queryable,
    tenantId: string,
    deliveryId: string,
    attempt: WebhookAttemptRow,
    next: { status: WebhookDeliveryStatus; nextAttemptAt: Date | null },
  ): Promise<void> {
    await q.query(
      `INSERT INTO notification_webhook_attempts (tenant_id, delivery_id, attempt, status_code, error, duration_ms, response_body, signed_with, attempted_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
      [tenantId, deliveryId, attempt.attempt, attempt.status, attempt.error, attempt.durationMs, attempt.responseBody, attempt.signedWith, attempt.attemptedAt],
    );
    await q.query(
      `UPDATE notification_webhook_deliveries SET status = $3, attempts = $4, last_status = $5, next_attempt_at = $6, lease_token = NULL WHERE tenant_id = $1 AND delivery_id = $2`,
      [tenantId, deliveryId, next.status, attempt.attempt, attempt.status, next.nextAttemptAt],
    );
  }

  async get(q: Queryable, tenantId: string, endpointId: string, deliveryId: string): Promise<(WebhookDeliveryRow & { log: WebhookAttemptRow[] }) | undefined> {
    const { rows } = await q.query<WebhookDeliveryRow>(`SELECT ${COLUMNS} FROM notification_webhook_deliveries WHERE tenant_id = $1 AND endpoint_id = $2 AND delivery_id = $3`, [
      tenantId,
      endpointId,
      deliveryId,
    ]);
    if (rows[0] === undefined) return undefined;
    const log = await q.query<WebhookAttemptRow>(
      `SELECT attempt, status_code AS status, error, duration_ms AS "durationMs", response_body AS "responseBody", signed_with AS "signedWith", attempted_at AS "attemptedAt"
       FROM notification_webhook_attempts WHERE tenant_id = $1 AND delivery_id = $2 ORDER BY attempt`,
      [tenantId, deliveryId],
    );
    return { ...rows[0], log: log.rows };
  }

  /** Newest first; `after` is the last delivery id of the previous page (an unknown one gives an empty page). */
  async list(q: Queryable, tenantId: string, endpointId: string, query: { limit: number; status?: WebhookDeliveryStatus; after?: string }): Promise<WebhookDeliveryRow[]> {
    const { rows } = await q.query<WebhookDeliveryRow>(
      `SELECT ${COLUMNS} FROM notification_webhook_deliveries WHERE tenant_id = $1 AND endpoint_id = $2 AND ($3::text IS NULL OR status = $3)
         AND ($5::uuid IS NULL OR seq < (SELECT seq FROM notification_webhook_deliveries WHERE tenant_id = $1 AND endpoint_id = $2 AND delivery_id = $5))
       ORDER BY seq DESC LIMIT $4`,
      [tenantId, endpointId, query.status ?? null, Math.min(query.limit, MAX_DELIVERY_PAGE), query.after ?? null],
    );
    return rows;
  }
}
