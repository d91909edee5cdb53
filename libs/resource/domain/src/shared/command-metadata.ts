/** Everything a decider needs from the outside world arrives here: it never reads a clock. */
export interface CommandMetadata {
  /** ISO-8601 date-time of the command, set by the caller. */
  readonly now: string;
  /** Who acts, `user:<sub>`. */
  readonly actor: string;
  readonly tenantId: string;
}

export type PlatformRole = 'pmo-admin' | 'project-manager' | 'resource-manager' | 'team-member' | 'viewer';

/** The caller as a decider sees it: rules such as "only your own timesheet" need the id and roles. */
export interface Caller {
  readonly userId: string;
  readonly roles: readonly PlatformRole[];
}

export const hasAnyRole = (caller: Caller, ...roles: PlatformRole[]): boolean => roles.some((r) => caller.roles.includes(r));
