import type { Pool } from 'pg';
import { NotificationDirectory } from '@pm/notification/data-access';
import type { RequestContext } from '@pm/platform/request-context';
import { forbidden } from '@pm/shared/ddd';

const directory = new NotificationDirectory();

/**
 * A project's settings in this service (escalation chain, stakeholders, communication plan) are changed by a pmo-admin
 * or by the project's manager as planning named them (`ProjectCreated.managerId`, kept in the directory).
 */
export async function mustManageProject(pool: Pool, ctx: RequestContext, projectId: string): Promise<void> {
  const { roles, tenantId, sub } = ctx.principal;
  if (roles.includes('pmo-admin')) return;
  if (roles.includes('project-manager') && (await directory.managesProject(pool, tenantId, sub, projectId))) return;
  throw forbidden('NOT_PROJECT_MANAGER', "Only a pmo-admin or the project's manager may do this");
}
