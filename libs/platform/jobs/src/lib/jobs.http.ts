import { z } from 'zod';
import type { SchemaObject } from '@nestjs/swagger';
import { ProblemException, zodToOpenApi } from '@pm/platform/http';
import { JobAlreadyActive, JobAlreadyFinished, JobNotFound, JobQueueFull, InvalidJobRequest } from './job.errors';
import type { Job } from './job.types';

/** The job resource a service returns from POST (202, with Location) and GET; also its OpenAPI schema. */
export const jobResourceSchema = z.object({
  id: z.uuid(),
  kind: z.string(),
  concurrencyKey: z.string(),
  state: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']),
  progress: z.object({
    done: z.number(),
    total: z.number().nullable(),
    /** done / total in percent, one decimal; null while the total is unknown. */
    percent: z.number().nullable(),
    counters: z.record(z.string(), z.number()),
  }),
  result: z.unknown().nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  attempts: z.number().int(),
  cancelRequested: z.boolean(),
  createdAt: z.iso.datetime(),
  startedAt: z.iso.datetime().nullable(),
  finishedAt: z.iso.datetime().nullable(),
  updatedAt: z.iso.datetime(),
});

export type JobResource = z.infer<typeof jobResourceSchema>;

/** The job resource as an OpenAPI schema; `result` is kind-specific (an object, or null until the job succeeds). */
export function jobResourceOpenApiSchema(): SchemaObject {
  const schema = zodToOpenApi(jobResourceSchema);
  return {
    ...schema,
    properties: { ...schema.properties, result: { type: 'object', additionalProperties: true, nullable: true, description: 'What the job produced (kind-specific); null until it succeeds' } },
  };
}

/** The payload stays out: it is the service's input reference, not something a poller needs. */
export function toJobResource(job: Job): JobResource {
  const { done, total, counters } = job.progress;
  return {
    id: job.id,
    kind: job.kind,
    concurrencyKey: job.concurrencyKey,
    state: job.state,
    progress: { done, total, percent: total ? Math.min(100, Math.round((done / total) * 1000) / 10) : null, counters: { ...counters } },
    result: job.result,
    error: job.error,
    attempts: job.attempts,
    cancelRequested: job.cancelRequested,
    createdAt: job.createdAt.toISOString(),
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
    updatedAt: job.updatedAt.toISOString(),
  };
}

/** `Location` of a job resource under the service's jobs path, e.g. `/projects/{id}/imports`. */
export function jobLocation(basePath: string, job: Pick<Job, 'id'>): string {
  return `${basePath.replace(/\/+$/, '')}/${job.id}`;
}

/**
 * The problem+json for an error of this lib, or undefined for anything else (rethrow it):
 * `catch (e) { throw toJobProblem(e) ?? e; }`. A full queue is 429 with Retry-After; the others are what the
 * platform's problem filter would answer for them anyway (409, 404, 422).
 */
export function toJobProblem(error: unknown): ProblemException | undefined {
  if (error instanceof JobQueueFull) {
    return new ProblemException({
      status: 429,
      code: error.code,
      detail: error.message,
      details: error.details,
      headers: { 'Retry-After': String(error.retryAfterSeconds) },
    });
  }
  if (error instanceof JobAlreadyActive) return new ProblemException({ status: 409, code: error.code, detail: error.message, details: error.details });
  if (error instanceof JobAlreadyFinished) return new ProblemException({ status: 409, code: error.code, detail: error.message, details: error.details });
  if (error instanceof JobNotFound) return new ProblemException({ status: 404, code: error.code, detail: error.message });
  if (error instanceof InvalidJobRequest) return new ProblemException({ status: 422, code: error.code, detail: error.message });
  return undefined;
}
