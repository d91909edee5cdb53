import { z } from 'zod';
import type { Clock } from '@pm/platform/request-context';

const envSchema = z.object({
  PG_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/pm_risk'),
  /** Snapshot spacing of the long streams (risk, tenant risk settings); each policy's own by default. */
  SNAPSHOT_EVERY: z.coerce.number().int().min(1).max(100_000).optional(),
  /** The longest sleep of the due-date scheduler: how late a due item another replica scheduled is seen at worst. */
  /** Consumer group of the planning and resource consumer (the service name by default). */
  RISK_CONSUMER_GROUP: z.string().min(1).max(200).optional(),
  SCHEDULER_POLL_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  /** Simulation jobs (ADR 0304): running and queued per tenant, and run at once per replica (each uses every core). */
  JOBS_RUNNING_PER_TENANT: z.coerce.number().int().min(1).max(100).default(1),
  JOBS_QUEUED_PER_TENANT: z.coerce.number().int().min(1).max(10_000).default(10),
  JOBS_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  /** Consumer group and inbox of the plan copy (pm.planning.events); `risk-service.plan` by default. */
  RISK_PLAN_CONSUMER_GROUP: z.string().min(1).max(200).optional(),
});

export interface RiskServiceConfig {
  readonly pgUrl: string;
  readonly snapshotEvery?: number;
  readonly schedulerPollMs?: number;
  readonly consumerGroupId?: string;
  /** The due-date scheduler's clock; tests move a ManualClock instead of waiting for a day to end. */
  readonly clock?: Clock;
  readonly jobLimits?: { readonly maxRunningPerTenant: number; readonly maxQueuedPerTenant: number };
  readonly jobConcurrency?: number;
  readonly planConsumerGroupId?: string;
}

/** Fails the boot with every bad variable named, rather than at first use. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): RiskServiceConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`risk-service configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const d = parsed.data;
  return {
    pgUrl: d.PG_URL,
    snapshotEvery: d.SNAPSHOT_EVERY,
    schedulerPollMs: d.SCHEDULER_POLL_MS,
    jobLimits: { maxRunningPerTenant: d.JOBS_RUNNING_PER_TENANT, maxQueuedPerTenant: d.JOBS_QUEUED_PER_TENANT },
    jobConcurrency: d.JOBS_CONCURRENCY,
    consumerGroupId: d.RISK_CONSUMER_GROUP,
    planConsumerGroupId: d.RISK_PLAN_CONSUMER_GROUP,
  };
}
