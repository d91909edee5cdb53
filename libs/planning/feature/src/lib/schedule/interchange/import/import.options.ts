import type { XmlLimits } from '@pm/shared/interchange';

export const SCHEDULE_IMPORT_JOB = 'planning.schedule-import';
export const IMPORT_OPTIONS = Symbol('IMPORT_OPTIONS');

/** The limits of an import (ADR 0009), from configuration: documented in the README and the OpenAPI description. */
export interface ImportOptions {
  /** Bytes of an upload; a larger Content-Length (or body) is a 413 before anything is stored. */
  readonly maxBytes: number;
  /** Tasks of a plan; more fail the job with MSPDI_TOO_MANY_TASKS (Microsoft Project allows 400,000). */
  readonly maxTasks: number;
  readonly limits: XmlLimits;
  /** Heap of the import's worker thread; a plan that needs more fails the job with IMPORT_TOO_LARGE. */
  readonly workerHeapMb: number;
  /**
   * Keep one import worker started ahead (its modules loaded), so an import does not wait for a thread to start
   * (ADR 0009 amendment); each import still gets a thread of its own. Default true.
   */
  readonly warmWorker?: boolean;
}

// Type aliases, not interfaces: the jobs lib stores them as JSON values (type literals fit its index signature).
export type ScheduleImportPayload = {
  readonly importId: string;
  readonly projectId: string;
  readonly bytes: number;
  readonly submittedAt: string;
  readonly commandId: string;
  readonly correlationId: string;
  readonly traceparent: string | null;
  readonly requestedBy: { readonly sub: string; readonly actor: string };
};

export type ScheduleImportCheckpoint = {
  readonly stagingStreamId: string;
  readonly expectedVersion: number;
};

export type ScheduleImportResult = {
  readonly projectId: string;
  readonly version: number;
  readonly chunks: number;
  readonly events: number;
  readonly tasks: number;
  readonly links: number;
  readonly warnings: number;
};
