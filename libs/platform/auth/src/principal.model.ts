import { z } from 'zod';

export const ROLES = ['pmo-admin', 'project-manager', 'resource-manager', 'team-member', 'viewer'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.output<typeof roleSchema>;

/** Who is calling, as every handler and every event's `actor` sees it. */
export interface Principal {
  sub: string;
  tenantId: string;
  roles: Role[];
  /** `user:<sub>`: the CloudEvents `actor` extension of the events this request appends. */
  actor: string;
}

/**
 * The claims the platform relies on. Unknown roles are rejected rather than dropped: a token
 * minted for a role this platform does not know is a misconfiguration worth a 401, not a
 * silently narrower principal.
 */
export const accessTokenClaimsSchema = z.object({
  sub: z.string().min(1),
  tenant: z.string().min(1),
  roles: z.array(roleSchema),
});
export type AccessTokenClaims = z.output<typeof accessTokenClaimsSchema>;

/**
 * `user:<sub>`, with the subject percent-encoded: identity providers allow spaces and other characters in `sub`
 * ("John Smith"), while the public `actor` attribute is one token (`^(user|service|system):\S+$`).
 */
export function actorOf(sub: string): string {
  return `user:${encodeURIComponent(sub)}`;
}

export function principalFromClaims(claims: AccessTokenClaims): Principal {
  return {
    sub: claims.sub,
    tenantId: claims.tenant,
    roles: [...new Set(claims.roles)],
    actor: actorOf(claims.sub),
  };
}
