import { SignJWT } from 'jose';
import { z } from 'zod';
import { DEV_JWT_SECRET } from './auth.options';
import { roleSchema } from './principal.model';
import type { Role } from './principal.model';

export interface DevTokenRequest {
  tenant: string;
  roles: Role[];
  /** Defaults to `dev-user`. */
  sub?: string;
  /** Optional profile claims (the notification service mails to `email`, localises with `locale`). */
  email?: string;
  locale?: string;
  /** Defaults to `AUTH_JWT_SECRET`, else the development secret (refused in production). */
  secret?: string;
  /** A jose time span (`'8h'`, `'15m'`) or an absolute expiry in epoch seconds; defaults to 8 hours. */
  expiresIn?: string | number;
  /** Default to `AUTH_ISSUER` / `AUTH_AUDIENCE`, so the token passes a configured check. */
  issuer?: string;
  audience?: string;
}

const requestSchema = z.object({
  tenant: z.string().min(1),
  roles: z.array(roleSchema).min(1),
  sub: z.string().min(1).default('dev-user'),
  email: z.string().min(3).optional(),
  locale: z.string().min(2).optional(),
});

/**
 * An HS256 token for local runs and tests, accepted by a service running with the same
 * shared secret. Identity providers mint the real ones.
 */
export async function signDevToken(request: DevTokenRequest): Promise<string> {
  const { tenant, roles, sub, email, locale } = requestSchema.parse(request);
  const secret = request.secret ?? process.env['AUTH_JWT_SECRET'] ?? developmentSecret();
  let jwt = new SignJWT({ tenant, roles, ...(email === undefined ? {} : { email }), ...(locale === undefined ? {} : { locale }) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime(request.expiresIn ?? '8h');
  const issuer = request.issuer ?? process.env['AUTH_ISSUER'];
  const audience = request.audience ?? process.env['AUTH_AUDIENCE'];
  if (issuer) jwt = jwt.setIssuer(issuer);
  if (audience) jwt = jwt.setAudience(audience);
  return jwt.sign(new TextEncoder().encode(secret));
}

function developmentSecret(): string {
  if (process.env['NODE_ENV'] === 'production') {
    throw new Error('signDevToken: no AUTH_JWT_SECRET and NODE_ENV=production; the development secret is refused');
  }
  return DEV_JWT_SECRET;
}
