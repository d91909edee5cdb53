import type { ChangeApprovalLimits } from '@pm/planning/domain';
import { DEFAULT_CHANGE_APPROVAL_LIMITS } from '@pm/planning/domain';

/** How much a project manager may approve alone: configuration of the service, never part of a request. */
export interface ChangeApprovalConfig {
  readonly defaults: ChangeApprovalLimits;
  /** Per-tenant overrides, keyed by tenant id. */
  readonly byTenant: Readonly<Record<string, ChangeApprovalLimits>>;
}

export const CHANGE_APPROVAL_CONFIG = Symbol('CHANGE_APPROVAL_CONFIG');

export const DEFAULT_CHANGE_APPROVAL_CONFIG: ChangeApprovalConfig = { defaults: DEFAULT_CHANGE_APPROVAL_LIMITS, byTenant: {} };

export const limitsFor = (config: ChangeApprovalConfig, tenantId: string): ChangeApprovalLimits => config.byTenant[tenantId] ?? config.defaults;
