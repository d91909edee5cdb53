import type { BoundedContext } from '@pm/contracts';

/** What the relay's worker thread is started with (ADR 0023). */
export interface RelayWorkerData {
  readonly name: string;
  readonly serviceName: string;
  readonly context: BoundedContext;
  readonly topic: string;
  readonly pgUrl: string;
}

export type RelayOperation = 'start' | 'stop' | 'drain' | 'checkpoint' | 'lag';

export interface RelayRequest {
  readonly id: number;
  readonly op: RelayOperation;
}

/** From the worker: an answer to a request, a log line, or what was published (for the service's metrics). */
export type RelayWorkerMessage =
  | { readonly kind: 'answer'; readonly id: number; readonly value?: unknown; readonly error?: { readonly name: string; readonly message: string } }
  | { readonly kind: 'log'; readonly level: 'info' | 'warn' | 'error'; readonly obj: object; readonly msg?: string }
  | { readonly kind: 'published'; readonly count: number }
  | { readonly kind: 'request'; readonly events: number };
