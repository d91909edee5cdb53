import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The claim an HTTP command holds on its `Idempotency-Key` (ADR 0013): which row of `idempotency_keys` and the token
 * that proves this request, not a later retry that took the key over, still owns it. The write path marks the row
 * committed in the same transaction as the command's events, so a commit and its key row cannot disagree.
 */
export interface IdempotencyClaim {
  readonly tenantId: string;
  readonly principal: string;
  readonly key: string;
  readonly token: string;
}

const scope = new AsyncLocalStorage<IdempotencyClaim>();

/** Runs `work` (the command's handler) with the claim visible to every write it makes, however deep. */
export function runWithIdempotencyClaim<T>(claim: IdempotencyClaim, work: () => T): T {
  return scope.run(claim, work);
}

/** The claim of the HTTP command being handled, if it came with an `Idempotency-Key`. */
export function currentIdempotencyClaim(): IdempotencyClaim | undefined {
  return scope.getStore();
}
