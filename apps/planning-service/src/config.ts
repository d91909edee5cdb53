import { z } from 'zod';
import type { ChangeApprovalConfig, ImportOptions } from '@pm/planning/feature';

const limitsSchema = z.strictObject({ costImpactBelow: z.number().nonnegative(), scheduleImpactDaysBelow: z.number().nonnegative() });

const envSchema = z.object({
  PG_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/pm_planning'),
  /** Kafka consumer group (and inbox name) for the resource events planning listens to. */
  PLANNING_CONSUMER_GROUP: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/).default('planning-service'),
  /** What a project manager may approve alone; a pmo-admin approves anything. */
  /** Snapshot spacing (events) of every aggregate with a snapshot policy; default: each policy's own (ADR 0008). */
  SNAPSHOT_EVERY: z.coerce.number().int().min(1).max(100_000).optional(),
  /** Bytes of a Microsoft Project upload (413 beyond); 400,000 tasks are about 70 MB. */
  MSPDI_BODY_LIMIT: z.coerce.number().int().min(1024).max(1024 * 1024 * 1024).default(96 * 1024 * 1024),
  /** Tasks of an imported plan (the job fails with MSPDI_TOO_MANY_TASKS beyond). */
  IMPORT_MAX_TASKS: z.coerce.number().int().min(1).max(1_000_000).default(400_000),
  /** Heap of an import's worker thread (MB). */
  IMPORT_WORKER_HEAP_MB: z.coerce.number().int().min(64).max(16_384).default(2048),
  /** Keep one import worker thread started ahead of the next import (its modules loaded; about 40 MB while idle). */
  IMPORT_WARM_WORKER: z.enum(['true', 'false']).default('true'),
  /** Expensive work (imports, later exports) per tenant: running at once, and waiting (429 beyond). */
  JOBS_RUNNING_PER_TENANT: z.coerce.number().int().min(1).max(100).default(1),
  JOBS_QUEUED_PER_TENANT: z.coerce.number().int().min(1).max(10_000).default(10),
  /** Jobs one replica runs at once, all tenants together. */
  JOBS_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  CHANGE_APPROVAL_COST_BELOW: z.coerce.number().nonnegative().default(10_000),
  CHANGE_APPROVAL_SCHEDULE_DAYS_BELOW: z.coerce.number().nonnegative().default(5),
  /** JSON: { "<tenantId>": { "costImpactBelow": n, "scheduleImpactDaysBelow": n } } */
  CHANGE_APPROVAL_LIMITS_BY_TENANT: z
    .string()
    .default('{}')
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be JSON' });
        return z.NEVER;
      }
    })
    .pipe(z.record(z.string(), limitsSchema)),
});

export interface PlanningServiceConfig {
  readonly pgUrl: string;
  readonly changeApproval?: ChangeApprovalConfig;
  /** Defaults to the service name; a test running its own instance passes a group of its own. */
  readonly consumerGroupId?: string;
  readonly snapshotEvery?: number;
  readonly imports?: Partial<ImportOptions>;
  readonly jobLimits?: { readonly maxRunningPerTenant: number; readonly maxQueuedPerTenant: number };
  readonly jobConcurrency?: number;
}

/** Fails the boot with every bad variable named, rather than at first use. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): PlanningServiceConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`planning-service configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const { PG_URL, PLANNING_CONSUMER_GROUP, SNAPSHOT_EVERY, MSPDI_BODY_LIMIT, IMPORT_MAX_TASKS, IMPORT_WORKER_HEAP_MB, IMPORT_WARM_WORKER, JOBS_RUNNING_PER_TENANT, JOBS_QUEUED_PER_TENANT, JOBS_CONCURRENCY, CHANGE_APPROVAL_COST_BELOW, CHANGE_APPROVAL_SCHEDULE_DAYS_BELOW, CHANGE_APPROVAL_LIMITS_BY_TENANT } = parsed.data;
  return {
    pgUrl: PG_URL,
    consumerGroupId: PLANNING_CONSUMER_GROUP,
    snapshotEvery: SNAPSHOT_EVERY,
    imports: { maxBytes: MSPDI_BODY_LIMIT, maxTasks: IMPORT_MAX_TASKS, workerHeapMb: IMPORT_WORKER_HEAP_MB, warmWorker: IMPORT_WARM_WORKER === 'true' },
    jobLimits: { maxRunningPerTenant: JOBS_RUNNING_PER_TENANT, maxQueuedPerTenant: JOBS_QUEUED_PER_TENANT },
    jobConcurrency: JOBS_CONCURRENCY,
    changeApproval: {
      defaults: { costImpactBelow: CHANGE_APPROVAL_COST_BELOW, scheduleImpactDaysBelow: CHANGE_APPROVAL_SCHEDULE_DAYS_BELOW },
      byTenant: CHANGE_APPROVAL_LIMITS_BY_TENANT,
    },
  };
}
