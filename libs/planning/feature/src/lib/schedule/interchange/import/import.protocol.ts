import type { CommandMetadata, ScheduleStreamEvent } from '@pm/planning/domain';
import type { XmlLimits } from '@pm/shared/interchange';

/** Main thread → import worker. */
export type ImportRequest =
  | {
      readonly kind: 'start';
      /** The schedule the import goes into (empty or not yet opened), structured-cloned by postMessage. */
      readonly state: unknown;
      readonly projectId: string;
      readonly metadata: CommandMetadata;
      readonly limits: XmlLimits;
      readonly maxTasks: number;
      /** Credits for event batches: the worker waits on it, the main thread adds one per batch it has staged. */
      readonly credits: SharedArrayBuffer;
    }
  | { readonly kind: 'chunk'; readonly text: string }
  | { readonly kind: 'end' };

export interface ImportFailure {
  /** A stable code (MSPDI_…, a domain rule's, or IMPORT_FAILED for a fault of ours). */
  readonly code: string;
  readonly message: string;
  /** Whether the file (or the plan it describes) is at fault rather than the service. */
  readonly clientError: boolean;
}

/** Import worker → main thread. */
export type ImportReply =
  | { readonly kind: 'read'; readonly tasks: number }
  | { readonly kind: 'parsed'; readonly tasks: number }
  | { readonly kind: 'events'; readonly events: ScheduleStreamEvent[] }
  | {
      readonly kind: 'done';
      readonly events: number;
      readonly tasks: number;
      readonly links: number;
      readonly warnings: string[];
      /** The schedule after the import as snapshot bytes in their pieces (`encodeSnapshotPieces`: built once, off the event loop). */
      readonly snapshot: readonly Uint8Array[];
    }
  | { readonly kind: 'failed'; readonly failure: ImportFailure };
