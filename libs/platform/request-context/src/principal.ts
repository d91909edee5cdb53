/** The platform's roles, as tokens carry them. */
export const ROLES = ['pmo-admin', 'project-manager', 'resource-manager', 'team-member', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, as every handler and every event's `actor` sees it. */
export interface Principal {
  readonly sub: string;
  readonly tenantId: string;
  readonly roles: readonly Role[];
  /** `user:<sub>` (or `service:<name>`): the CloudEvents `actor` extension of the events this request appends. */
  readonly actor: string;
  /** The token's `email` and `locale` claims when it carried valid ones (the notification service mails and localises with them). */
  readonly email?: string;
  readonly locale?: string;
}

/**
 * `user:<sub>`, with the subject percent-encoded: identity providers allow spaces and other characters in `sub`
 * ("John Smith"), while the public `actor` attribute is one token (`^(user|service|system):\S+$`).
 */
export function actorOf(sub: string): string {
  return `user:${encodeURIComponent(sub)}`;
}
