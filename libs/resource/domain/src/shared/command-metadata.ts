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
  /** The login (`sub`) as the identity provider spells it: compare with a person's `userId`. */
  readonly userId: string;
  /**
   * The caller as events record them (`user:<sub>`, with `sub` encoded as the platform encodes it, the same value
   * as `CommandMetadata.actor`): compare with `submittedBy`, `approvedBy` and the like, never a `user:${userId}`
   * built here, which differs as soon as the login contains '@', a space or a '/'.
   */
  readonly actor: string;
  readonly roles: readonly PlatformRole[];
}

export const hasAnyRole = (caller: Caller, ...roles: PlatformRole[]): boolean => roles.some((r) => caller.roles.includes(r));
