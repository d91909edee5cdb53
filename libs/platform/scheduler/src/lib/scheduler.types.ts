import type { PoolClient } from 'pg';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Scheduling the same (tenant, kind, key) again replaces the item: new due time, new payload, attempts reset. */
export interface ScheduleRequest {
  readonly tenantId: string;
  readonly kind: string;
  readonly key: string;
  readonly dueAt: Date;
  readonly payload?: JsonValue;
}

export type ScheduledItemState = 'pending' | 'failed';

export interface ScheduledItem {
  readonly tenantId: string;
  readonly kind: string;
  readonly key: string;
  readonly dueAt: Date;
  readonly payload: JsonValue;
  readonly state: ScheduledItemState;
  /** Failed attempts since it was last scheduled or last fired successfully. */
  readonly attempts: number;
  readonly lastError: { readonly code: string; readonly message: string; readonly at: Date } | null;
  readonly scheduledAt: Date;
}

export interface FireContext<P extends JsonValue = JsonValue> {
  readonly tenantId: string;
  readonly kind: string;
  readonly key: string;
  readonly payload: P;
  readonly dueAt: Date;
  /** The scheduler clock's time when this firing started. */
  readonly firedAt: Date;
  /** 1 on the first try, 2 after one failure, ... */
  readonly attempt: number;
  /**
   * The transaction that also completes the item: write the handler's effects through it (events, rows, an
   * outbox row), so effect and completion commit together or not at all.
   */
  readonly tx: PoolClient;
}

/** Nothing: done (the item is removed). `nextDueAt`: recurring, fire again then (optionally with a new payload). */
export type FireResult = void | undefined | { readonly nextDueAt: Date; readonly payload?: JsonValue };

export type ScheduledHandler<P extends JsonValue = JsonValue> = (ctx: FireContext<P>) => Promise<FireResult>;

export interface RetryPolicy {
  /** Attempts before the item is parked in the `failed` state. */
  readonly maxAttempts: number;
  readonly baseMs: number;
  readonly maxMs: number;
  readonly jitter?: number;
}

export type FireOutcome = 'fired' | 'rescheduled' | 'retry' | 'failed' | 'skipped' | 'error';

export interface FiredItem {
  readonly tenantId: string;
  readonly kind: string;
  readonly key: string;
  readonly outcome: FireOutcome;
}

export interface RoundResult {
  /** Candidates this round looked at (at most the batch size). */
  readonly claimed: number;
  readonly items: readonly FiredItem[];
}

export interface ListFilter {
  readonly tenantId?: string;
  readonly kind?: string;
  readonly state?: ScheduledItemState;
  /** Only items due at or before this time (e.g. the clock's now: the overdue backlog). */
  readonly dueBefore?: Date;
  readonly limit?: number;
}
