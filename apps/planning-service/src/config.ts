import { z } from 'zod';

const envSchema = z.object({
  PG_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/pm_planning'),
});

export interface PlanningServiceConfig {
  readonly pgUrl: string;
}

/** Fails the boot with every bad variable named, rather than at first use. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): PlanningServiceConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`planning-service configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return { pgUrl: parsed.data.PG_URL };
}
