import { z } from 'zod';

import { ROLES, actorOf } from '@pm/platform/request-context';
import type { Principal, Role } from '@pm/platform/request-context';

// The principal and the role vocabulary live in the request context (the event store reads them without auth).
export { ROLES, actorOf };
export type { Principal, Role };

export const roleSchema = z.enum(ROLES);

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

export function principalFromClaims(claims: AccessTokenClaims): Principal {
  return {
    sub: claims.sub,
    tenantId: claims.tenant,
    roles: [...new Set(claims.roles)],
    actor: actorOf(claims.sub),
  };
}
