import type { PlatformRole } from '@pm/shared/ddd';

export type { CommandMetadata, PlatformRole } from '@pm/shared/ddd';

/** The approver of a decision (gate, change request), with the roles from their token. */
export interface Approver {
  readonly id: string;
  readonly roles: readonly string[];
}

export const hasRole = (approver: Approver, role: PlatformRole): boolean => approver.roles.includes(role);
