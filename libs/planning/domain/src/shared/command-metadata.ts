/** Everything a decider needs from the outside world arrives here: it never reads a clock. */
export interface CommandMetadata {
  /** ISO-8601 date-time of the command, set by the caller. */
  readonly now: string;
  /** Who acts, `user:<sub>`. */
  readonly actor: string;
  readonly tenantId: string;
}

/** The approver of a decision (gate, change request), with the roles from their token. */
export interface Approver {
  readonly id: string;
  readonly roles: readonly string[];
}

export type PlatformRole = 'pmo-admin' | 'project-manager' | 'resource-manager' | 'team-member' | 'viewer';

export const hasRole = (approver: Approver, role: PlatformRole): boolean => approver.roles.includes(role);
