import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { currentSession } from './auth-routes';
import type { GatewayConfig } from './gateway.config';
import { DEFAULT_REFRESH_MARGIN_SECONDS, OidcRefusal, oidcClientFor } from './oidc';
import { sealSession, sessionCookie } from './session-cookie';
import type { Session } from './session-cookie';

/**
 * How long the outcome of one refresh answers for the refresh token it used. The page sends requests in parallel;
 * each carries the same cookie until the first answer has set the new one. With rotation, a second use of a refresh
 * token is a replay to the provider, which revokes the whole grant, so those requests share the first one's refresh.
 */
const SHARED_FOR_MS = 30_000;
const MAX_REMEMBERED = 10_000;

interface Refreshing {
  readonly outcome: Promise<Session | null>;
  readonly until: number;
}
const refreshing = new Map<string, Refreshing>();

function forget(now: number): void {
  if (refreshing.size < MAX_REMEMBERED) return;
  for (const [key, entry] of refreshing) if (entry.until < now) refreshing.delete(key);
  // Still full of live entries (a flood): the oldest go first; at worst a parallel request refreshes a second time.
  for (const key of refreshing.keys()) {
    if (refreshing.size < MAX_REMEMBERED) break;
    refreshing.delete(key);
  }
}

/**
 * The request's session, its access token refreshed first when it has less than the margin left (ADR 0604): the new
 * session goes back in the cookie of this response. A refresh token the provider refuses ends the session (the cookie
 * is cleared, null); a provider that does not answer leaves the session as it is while its access token lasts.
 */
export async function freshSession(req: IncomingMessage, res: ServerResponse, config: GatewayConfig): Promise<Session | null> {
  const session = currentSession(req, config);
  const oidc = config.oidc;
  if (!session?.refreshToken || session.accessExp === undefined || !oidc) return session;
  const nowMs = Date.now();
  const now = Math.floor(nowMs / 1000);
  if (session.accessExp - now > (oidc.refreshMarginSeconds ?? DEFAULT_REFRESH_MARGIN_SECONDS)) return session;

  const key = createHash('sha256').update(session.refreshToken).digest('base64url');
  let entry = refreshing.get(key);
  if (!entry || entry.until < nowMs) {
    forget(nowMs);
    entry = { outcome: oidcClientFor(oidc).refresh(session), until: nowMs + SHARED_FOR_MS };
    refreshing.set(key, entry);
  }
  let next: Session | null;
  try {
    next = await entry.outcome;
  } catch (error) {
    refreshing.delete(key); // the provider did not answer: the next request tries again
    if (!(error instanceof OidcRefusal)) throw error;
    return session.accessExp > now ? session : null;
  }
  if (!next) {
    res.setHeader('set-cookie', sessionCookie('', 0, config.secureCookies));
    return null;
  }
  res.setHeader('set-cookie', sessionCookie(sealSession(next, config.sessionKey), next.exp - now, config.secureCookies));
  return next;
}
