import { z } from 'zod';

const envSchema = z.object({
  PG_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/pm_reporting'),
  REPORTING_CONSUMER_GROUP: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/).default('reporting-service'),
});

export interface ReportingServiceConfig {
  readonly pgUrl: string;
  readonly consumerGroupId: string;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ReportingServiceConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`reporting-service configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return { pgUrl: parsed.data.PG_URL, consumerGroupId: parsed.data.REPORTING_CONSUMER_GROUP };
}
