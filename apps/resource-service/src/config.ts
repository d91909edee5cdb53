import { z } from 'zod';

const envSchema = z.object({
  PG_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/pm_resource'),
  RESOURCE_CONSUMER_GROUP: z.string().min(1).default('resource-service'),
  /** Snapshot spacing of the long streams (resource, allocation, budget, tenant settings); each policy's own by default. */
  SNAPSHOT_EVERY: z.coerce.number().int().min(1).max(100_000).optional(),
});

export interface ResourceServiceConfig {
  readonly pgUrl: string;
  readonly consumerGroupId?: string;
  readonly snapshotEvery?: number;
}

/** Fails the boot with every bad variable named, rather than at first use. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ResourceServiceConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`resource-service configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return { pgUrl: parsed.data.PG_URL, consumerGroupId: parsed.data.RESOURCE_CONSUMER_GROUP, snapshotEvery: parsed.data.SNAPSHOT_EVERY };
}
