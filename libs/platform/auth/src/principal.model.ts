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
  // Optional profile claims (OpenID Connect's `email`, `locale`): a malformed one is dropped, not a 401, because no
  // route depends on it; what is kept goes into mail headers, so it is one plain address without controls.
  email: z
    .string()
    .max(254)
    // eslint-disable-next-line no-control-regex -- controls are exactly what a mail header must not carry (a JSON Schema pattern has no \p{Cc})
    .regex(/^[^\s@<>",;:\\()[\]\u0000-\u001f\u007f]{1,64}@[^\s@<>",;:\\()[\]\u0000-\u001f\u007f]{1,189}$/)
    .optional()
    .catch(undefined),
  locale: z
    .string()
    .max(35)
    .regex(/^[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8})*$/)
    .optional()
    .catch(undefined),
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
    ...(claims.email === undefined ? {} : { email: claims.email }),
    ...(claims.locale === undefined ? {} : { locale: claims.locale }),
  };
}
