import { z } from 'zod';
import { hasUnstorableText } from '@pm/platform/http';

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
  sub: claimText(),
  tenant: claimText(),
  roles: z.array(roleSchema).max(ROLES.length * 4),
});

// Claims become actors, tenant ids and stream ids: the same text rule as every request's body and path (a
// NUL or lone surrogate would fail later in PostgreSQL as a 500), and a length no identity provider exceeds.
function claimText() {
  return z
    .string()
    .min(1)
    .max(256)
    .refine((text) => !hasUnstorableText(text), 'holds a NUL character or an unpaired surrogate');
}
export type AccessTokenClaims = z.output<typeof accessTokenClaimsSchema>;

export function principalFromClaims(claims: AccessTokenClaims): Principal {
  return {
    sub: claims.sub,
    tenantId: claims.tenant,
    roles: [...new Set(claims.roles)],
    actor: actorOf(claims.sub),
  };
}
