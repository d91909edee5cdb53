import { createHash, randomBytes } from 'node:crypto';
import type { Pool } from 'pg';

export interface TicketHolder {
  readonly tenantId: string;
  readonly userId: string;
  readonly roles: readonly string[];
  /** When the token that asked for the ticket expires: the stream ends then (docs/security.md). */
  readonly sessionEndsAt: Date;
}

const hashOf = (ticket: string): Buffer => createHash('sha256').update(ticket).digest();

/** 256 random bits, base64url: the shape a cookie value takes without quoting. */
const TICKET_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/**
 * Short-lived single-use tickets that open an SSE stream where the browser's EventSource cannot send a bearer header
 * (ADR 0401). Only the hash is stored; using a ticket deletes it, so a ticket seen in a log or replayed opens nothing.
 */
export class StreamTickets {
  constructor(private readonly pool: Pool) {}

  async issue(holder: TicketHolder, ttlSeconds: number, now: Date): Promise<{ ticket: string; expiresAt: Date }> {
    const ticket = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Math.min(now.getTime() + ttlSeconds * 1000, holder.sessionEndsAt.getTime()));
    // Expired tickets of anyone go with each issue: the table holds at most a TTL's worth of tickets.
    await this.pool.query('DELETE FROM notification_stream_tickets WHERE expires_at < $1', [now]);
    await this.pool.query(
      'INSERT INTO notification_stream_tickets (ticket_hash, tenant_id, user_id, roles, expires_at, session_ends_at) VALUES ($1, $2, $3, $4, $5, $6)',
      [hashOf(ticket), holder.tenantId, holder.userId, [...holder.roles], expiresAt, holder.sessionEndsAt],
    );
    return { ticket, expiresAt };
  }

  /** The holder of a valid, unused, unexpired ticket, which is used up by this call; otherwise null. */
  async redeem(ticket: string, now: Date): Promise<TicketHolder | null> {
    if (!TICKET_SHAPE.test(ticket)) return null;
    const { rows } = await this.pool.query<{ tenant_id: string; user_id: string; roles: string[]; session_ends_at: Date }>(
      'DELETE FROM notification_stream_tickets WHERE ticket_hash = $1 AND expires_at > $2 RETURNING tenant_id, user_id, roles, session_ends_at',
      [hashOf(ticket), now],
    );
    const row = rows[0];
    return row ? { tenantId: row.tenant_id, userId: row.user_id, roles: row.roles, sessionEndsAt: row.session_ends_at } : null;
  }
}
