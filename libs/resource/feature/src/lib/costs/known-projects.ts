import type { ResourceReadQueries } from '@pm/resource/data-access';
import { notFound } from '@pm/resource/domain';

/**
 * Budgets and timesheet lines name planning's projects, and a project belongs to the tenant planning created it
 * for (ADR 0205). Before a budget, expense or forecast command, and before timesheet lines are accepted or
 * approved, every project named must be in the local copy of planning's projects for the caller's tenant;
 * otherwise 404 PROJECT_UNKNOWN, the same answer whether the id belongs to another tenant or to nobody.
 */
export async function projectsMustBeKnown(reads: ResourceReadQueries, tenantId: string, projectIds: readonly string[]): Promise<void> {
  const unknown = await reads.unknownProjects(tenantId, projectIds);
  if (unknown.length > 0) {
    throw notFound('PROJECT_UNKNOWN', `Project ${unknown[0]} is not known from planning's events`, { projectIds: unknown });
  }
}
