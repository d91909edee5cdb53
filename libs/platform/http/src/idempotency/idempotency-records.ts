import type { IdempotencyClaim } from '@pm/platform/request-context';

/** One request's claim on a key, as the interceptor asks for it. */
export interface IdempotencyRequest {
  readonly claim: IdempotencyClaim;
  readonly method: string;
  /** The path without its query (the query is in the fingerprint; it may carry personal data). */
  readonly path: string;
  readonly fingerprint: string;
  /** The route's success status, the status of an answer rebuilt after a crash (ADR 0013). */
  readonly successStatus: number;
}

/** A command's stored answer. */
export interface StoredResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  /** Rebuilt from the committed key row: the first answer was never stored. */
  readonly recovered: boolean;
}

export type ClaimOutcome =
  | { readonly kind: 'claimed' }
  | { readonly kind: 'replay'; readonly response: StoredResponse }
  | { readonly kind: 'in-flight' }
  | { readonly kind: 'reused' };

/** Where keys and answers are kept (PostgreSQL in every service: the event store lib's `PgIdempotencyRecords`). */
export interface IdempotencyRecords {
  claim(request: IdempotencyRequest): Promise<ClaimOutcome>;
  /** Stores a 2xx or 4xx answer, if the claim is still this request's. */
  complete(claim: IdempotencyClaim, response: StoredResponse): Promise<void>;
  /** A 5xx: forgets the key (unless the command committed), so a retry runs again. */
  release(claim: IdempotencyClaim): Promise<void>;
}
