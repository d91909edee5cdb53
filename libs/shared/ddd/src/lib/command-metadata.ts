/** Everything a decider needs from the outside world arrives here: it never reads a clock. */
export interface CommandMetadata {
  /** ISO-8601 date-time of the command, set by the caller. */
  readonly now: string;
  /** Who acts, `user:<sub>` (or `service:<name>`). */
  readonly actor: string;
  readonly tenantId: string;
}

export type PlatformRole = 'pmo-admin' | 'project-manager' | 'resource-manager' | 'team-member' | 'viewer';
