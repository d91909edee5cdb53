import { forbidden, notFound } from '@pm/shared/ddd';
import type { Principal } from '@pm/platform/auth';
import type { RiskState } from '@pm/risk/domain';

/** Roles that manage every risk of the tenant's projects. */
const MANAGERS = ['pmo-admin', 'project-manager'] as const;

/** A risk's owner is a person (a token `sub`), recorded as given or as the actor form `user:<sub>`. */
export const isOwner = (principal: Principal, ownerId: string | null): boolean => ownerId !== null && (ownerId === principal.sub || ownerId === principal.actor);

/**
 * Who may act on a risk (ADR 0302): a PMO admin or a project manager on any risk; a team member only on a risk they
 * own. The route's roles let the team member in; this rule, which needs the risk's owner, decides.
 */
export function mayActOnRisk(principal: Principal, state: RiskState, ownerMay: boolean): void {
  if (state.status === 'not-identified') return;
  if (principal.roles.some((r) => (MANAGERS as readonly string[]).includes(r))) return;
  if (ownerMay && isOwner(principal, state.risk.ownerId)) return;
  throw forbidden('RISK_OWNER_ONLY', 'Only the risk owner, a project manager or a PMO admin may do this', { riskId: state.risk.identification.riskId });
}

/** A risk is addressed under its own project: under another it does not exist. */
export function riskMustBeInProject(state: RiskState, projectId: string): void {
  if (state.status !== 'not-identified' && state.risk.identification.projectId.toLowerCase() !== projectId.toLowerCase()) {
    throw notFound('RISK_NOT_FOUND', 'Risk does not exist');
  }
}
