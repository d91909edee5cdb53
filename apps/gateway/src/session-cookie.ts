import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';

/**
 * The browser's session: the access token and the claims the page may show, sealed with AES-256-GCM under the
 * gateway's key into an HttpOnly cookie. The token never reaches page scripts, the URL or a log; the cookie is
 * stateless, so replicas sharing GATEWAY_SESSION_KEY need no session store (ADR 0600).
 */
export const sessionSchema = z.object({
  token: z.string().min(1),
  sub: z.string(),
  tenant: z.string(),
  roles: z.array(z.string()),
  email: z.string().optional(),
  /** Epoch seconds: the end of the session; the cookie dies with it. Without a refresh token, the access token's `exp`. */
  exp: z.number().int(),
  /** OIDC with a refresh token (ADR 0604): the access token's own `exp`, and the token that gets the next one. */
  accessExp: z.number().int().optional(),
  refreshToken: z.string().min(1).max(4096).optional(),
});
export type Session = z.infer<typeof sessionSchema>;

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** AES-256-GCM over the JSON of `value`: the session, and the OIDC flow's state/nonce/verifier (oidc.ts). */
export function sealValue(value: unknown, key: Buffer): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const sealed = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
}

/** The value of `schema` sealed in `value`, or null when absent, forged, sealed under another key or expired. */
export function openValue<T extends { exp: number }>(value: string | undefined, key: Buffer, schema: z.ZodType<T>, nowSeconds = Math.floor(Date.now() / 1000)): T | null {
  if (!value || value.length > 8192 || !/^[A-Za-z0-9_-]+$/.test(value)) return null;
  const raw = Buffer.from(value, 'base64url');
  if (raw.length <= IV_BYTES + TAG_BYTES) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    const plain = Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    const parsed = schema.safeParse(JSON.parse(plain));
    return parsed.success && parsed.data.exp > nowSeconds ? parsed.data : null;
  } catch {
    return null;
  }
}

export function sealSession(session: Session, key: Buffer): string {
  return sealValue(session, key);
}

/** The session, or null when the cookie is absent, forged, sealed under another key or expired. */
export function openSession(value: string | undefined, key: Buffer, nowSeconds = Math.floor(Date.now() / 1000)): Session | null {
  return openValue(value, key, sessionSchema, nowSeconds);
}

export const sessionCookieName = (secure: boolean) => (secure ? '__Host-pm_session' : 'pm_session');

/** SameSite=Strict: a cross-site page can neither send it along nor read it (docs/security.md, Browser clients). */
export function sessionCookie(value: string, maxAgeSeconds: number, secure: boolean): string {
  return [`${sessionCookieName(secure)}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${Math.max(0, maxAgeSeconds)}`, ...(secure ? ['Secure'] : [])].join('; ');
}

export function cookieValue(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
