import type { Pool, PoolClient } from 'pg';
import { IDEMPOTENCY_CODES, IDEMPOTENCY_KEY_TTL_MS, ProblemException } from '@pm/platform/http';
import type { ClaimOutcome, IdempotencyRecords, IdempotencyRequest, StoredResponse } from '@pm/platform/http';
import type { IdempotencyClaim } from '@pm/platform/request-context';

export interface IdempotencyRecordsOptions {
  /**
   * How long a claim holds its key before a retry may take it over (the first request died without committing) or
   * be answered from the committed row. Longer than the request timeout (30 s), so a live request keeps its key.
   */
  readonly leaseMs?: number;
  readonly ttlMs?: number;
}

interface KeyRow {
  method: string;
  request_hash: string;
  token: string;
  success_status: number;
  committed_at: Date | null;
  status: number | null;
  response_headers: Record<string, string> | null;
  response_body: Buffer | null;
  recovered: boolean;
  expired: boolean;
  lease_over: boolean;
}

const WHERE_KEY = 'tenant_id = $1 AND principal = $2 AND key = $3';
const keyOf = (claim: IdempotencyClaim): string[] => [claim.tenantId, claim.principal, claim.key];

/**
 * Marks the claim's key committed inside the command's own transaction (the write path calls it before appending).
 * No row with this request's token means a retry took the key over after this request's lease ran out: this request
 * must not commit (the retry may be running the same command), so the transaction fails and stores nothing.
 */
export async function markIdempotencyCommitted(client: PoolClient, claim: IdempotencyClaim): Promise<void> {
  const marked = await client.query(`UPDATE idempotency_keys SET committed_at = coalesce(committed_at, now()) WHERE ${WHERE_KEY} AND token = $4`, [...keyOf(claim), claim.token]);
  if (marked.rowCount === 1) return;
  throw new ProblemException({ status: 409, code: IDEMPOTENCY_CODES.inFlight, detail: 'A retry with this Idempotency-Key took the key over; this request stored nothing', headers: { 'Retry-After': '1' } });
}

/** The body of an answer rebuilt from a committed key row whose first answer was never stored (ADR 0013). */
function recoveredBody(key: string, committedAt: Date): Buffer {
  return Buffer.from(
    JSON.stringify({
      idempotencyKey: key,
      outcome: 'committed',
      committedAt: committedAt.toISOString(),
      detail: 'The command with this key committed, but the service stopped before its answer was stored; read the resource for its current state',
    }),
  );
}

/** Keys and answers in the service's own database (table `idempotency_keys`). */
export class PgIdempotencyRecords implements IdempotencyRecords {
  private readonly leaseSeconds: number;
  private readonly ttlSeconds: number;

  constructor(
    private readonly pool: Pool,
    options: IdempotencyRecordsOptions = {},
  ) {
    this.leaseSeconds = (options.leaseMs ?? 60_000) / 1000;
    this.ttlSeconds = (options.ttlMs ?? IDEMPOTENCY_KEY_TTL_MS) / 1000;
  }

  async claim(request: IdempotencyRequest): Promise<ClaimOutcome> {
    const { claim } = request;
    // Each turn either decides or loses a race to a request that changed the row meanwhile; three turns is plenty.
    for (let turn = 0; turn < 3; turn++) {
      const inserted = await this.pool.query(
        `INSERT INTO idempotency_keys (tenant_id, principal, key, method, path, request_hash, token, success_status, lease_until)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now() + make_interval(secs => $9)) ON CONFLICT DO NOTHING`,
        [...keyOf(claim), request.method, request.path, request.fingerprint, claim.token, request.successStatus, this.leaseSeconds],
      );
      if (inserted.rowCount === 1) return { kind: 'claimed' };
      const { rows } = await this.pool.query<KeyRow>(
        `SELECT method, request_hash, token, success_status, committed_at, status, response_headers, response_body, recovered,
                created_at < now() - make_interval(secs => $4) AS expired, lease_until < now() AS lease_over
           FROM idempotency_keys WHERE ${WHERE_KEY}`,
        [...keyOf(claim), this.ttlSeconds],
      );
      const row = rows[0];
      if (!row) continue;
      if (row.expired) {
        await this.pool.query(`DELETE FROM idempotency_keys WHERE ${WHERE_KEY} AND token = $4`, [...keyOf(claim), row.token]);
        continue;
      }
      if (row.method !== request.method || row.request_hash !== request.fingerprint) return { kind: 'reused' };
      if (row.status !== null) return { kind: 'replay', response: stored(row) };
      if (!row.lease_over) return { kind: 'in-flight' };
      if (row.committed_at) {
        const recovered = await this.recover(claim, row);
        if (recovered) return { kind: 'replay', response: recovered };
        continue;
      }
      // The holder died (or overran its lease) before committing: this request takes the key and runs the command.
      const taken = await this.pool.query(
        `UPDATE idempotency_keys SET token = $5, lease_until = now() + make_interval(secs => $6)
          WHERE ${WHERE_KEY} AND token = $4 AND committed_at IS NULL AND status IS NULL`,
        [...keyOf(claim), row.token, claim.token, this.leaseSeconds],
      );
      if (taken.rowCount === 1) return { kind: 'claimed' };
    }
    return { kind: 'in-flight' };
  }

  async complete(claim: IdempotencyClaim, response: StoredResponse): Promise<void> {
    await this.pool.query(
      `UPDATE idempotency_keys SET status = $5, response_headers = $6, response_body = $7, recovered = false, completed_at = now()
        WHERE ${WHERE_KEY} AND token = $4`,
      [...keyOf(claim), claim.token, response.status, JSON.stringify(response.headers), response.body],
    );
  }

  async release(claim: IdempotencyClaim): Promise<void> {
    // Uncommitted: forgotten, a retry runs again. Committed (a 5xx after the commit): the lease ends now, so a
    // retry is answered from the committed row at once instead of running the command a second time.
    await this.pool.query(`DELETE FROM idempotency_keys WHERE ${WHERE_KEY} AND token = $4 AND committed_at IS NULL`, [...keyOf(claim), claim.token]);
    await this.pool.query(`UPDATE idempotency_keys SET lease_until = now() WHERE ${WHERE_KEY} AND token = $4 AND status IS NULL`, [...keyOf(claim), claim.token]);
  }

  /** Deletes keys past their 24 h, a batch at a time; returns how many. */
  async sweepExpired(batch = 10_000): Promise<number> {
    const deleted = await this.pool.query(
      `DELETE FROM idempotency_keys WHERE ctid IN (SELECT ctid FROM idempotency_keys WHERE created_at < now() - make_interval(secs => $1) LIMIT $2)`,
      [this.ttlSeconds, batch],
    );
    return deleted.rowCount ?? 0;
  }

  /** The answer for a key whose command committed but whose holder never stored its reply; stored for the next retry too. */
  private async recover(claim: IdempotencyClaim, row: KeyRow): Promise<StoredResponse | undefined> {
    const response: StoredResponse = {
      status: row.success_status,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: recoveredBody(claim.key, row.committed_at as Date),
      recovered: true,
    };
    const saved = await this.pool.query(
      `UPDATE idempotency_keys SET status = $5, response_headers = $6, response_body = $7, recovered = true, completed_at = now()
        WHERE ${WHERE_KEY} AND token = $4 AND status IS NULL`,
      [...keyOf(claim), row.token, response.status, JSON.stringify(response.headers), response.body],
    );
    return saved.rowCount === 1 ? response : undefined;
  }
}

function stored(row: KeyRow): StoredResponse {
  return { status: row.status as number, headers: row.response_headers ?? {}, body: row.response_body ?? Buffer.alloc(0), recovered: row.recovered };
}
