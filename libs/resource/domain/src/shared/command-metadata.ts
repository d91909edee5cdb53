import type { PlatformRole } from '@pm/shared/ddd';

export type { CommandMetadata, PlatformRole } from '@pm/shared/ddd';

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
