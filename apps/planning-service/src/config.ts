import { z } from 'zod';
import type { ChangeApprovalConfig } from '@pm/planning/feature';

const limitsSchema = z.strictObject({ costImpactBelow: z.number().nonnegative(), scheduleImpactDaysBelow: z.number().nonnegative() });

const envSchema = z.object({
  PG_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/pm_planning'),
  /** Kafka consumer group (and inbox name) for the resource events planning listens to. */
  PLANNING_CONSUMER_GROUP: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/).default('planning-service'),
  /** What a project manager may approve alone; a pmo-admin approves anything. */
  /** Snapshot spacing (events) of every aggregate with a snapshot policy; default: each policy's own (ADR 0008). */
  SNAPSHOT_EVERY: z.coerce.number().int().min(1).max(100_000).optional(),
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
}

/** Fails the boot with every bad variable named, rather than at first use. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): PlanningServiceConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`planning-service configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const { PG_URL, PLANNING_CONSUMER_GROUP, SNAPSHOT_EVERY, CHANGE_APPROVAL_COST_BELOW, CHANGE_APPROVAL_SCHEDULE_DAYS_BELOW, CHANGE_APPROVAL_LIMITS_BY_TENANT } = parsed.data;
  return {
    pgUrl: PG_URL,
    consumerGroupId: PLANNING_CONSUMER_GROUP,
    snapshotEvery: SNAPSHOT_EVERY,
    changeApproval: {
      defaults: { costImpactBelow: CHANGE_APPROVAL_COST_BELOW, scheduleImpactDaysBelow: CHANGE_APPROVAL_SCHEDULE_DAYS_BELOW },
      byTenant: CHANGE_APPROVAL_LIMITS_BY_TENANT,
    },
  };
}
