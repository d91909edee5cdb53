import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeJwt } from 'jose';
import { z } from 'zod';
import { ROLES, roleSchema, signDevToken } from '@pm/platform/auth';
import type { GatewayConfig } from './gateway.config';
import { OidcRefusal, flowCookie, oidcClientFor, sendSignInFailure } from './oidc';
import { sendProblem } from './problem';
import { cookieValue, openSession, sealSession, sessionCookie, sessionCookieName } from './session-cookie';
import type { Session } from './session-cookie';

export const DEMO_TENANT = 'demo';

const devSignInSchema = z.object({
  tenant: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and dashes, up to 63'),
  role: roleSchema,
  sub: z.string().regex(/^[A-Za-z0-9._@-]{1,64}$/).optional(),
});

export function currentSession(req: IncomingMessage, config: GatewayConfig): Session | null {
  return openSession(cookieValue(req, sessionCookieName(config.secureCookies)), config.sessionKey);
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new RangeError('body too large');
    chunks.push(chunk);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
}

/** What the page may know of its session: who and which tenant, never the token. */
const publicView = (s: Session) => ({ sub: s.sub, tenant: s.tenant, roles: s.roles, email: s.email ?? null, expiresAt: new Date(s.exp * 1000).toISOString() });

/**
 * /auth/session (GET: who is signed in), /auth/sign-out (POST), and in development /auth/dev-sign-in (GET: the
 * choices; POST: a session for a tenant and role, with a token minted as `npm run token` does), and with OIDC
 * configured /auth/oidc (the button's label), /auth/sign-in and /auth/callback (authorization code + PKCE, ADR 0603).
 */
export async function handleAuth(req: IncomingMessage, res: ServerResponse, config: GatewayConfig): Promise<void> {
  const instance = req.url ?? '/auth';
  const route = `${req.method} ${new URL(instance, 'http://gateway').pathname}`;
  const notFound = () => sendProblem(res, { status: 404, code: 'NOT_FOUND', title: 'Not found', detail: 'No such sign-in route.' }, instance);
  switch (route) {
    case 'GET /auth/session': {
      const session = currentSession(req, config);
      if (!session) return sendProblem(res, { status: 401, code: 'SESSION_REQUIRED', title: 'Not signed in', detail: 'Sign in to use the dashboard.' }, instance);
      return json(res, 200, publicView(session));
    }
    case 'POST /auth/sign-out':
      return json(res, 200, { signedOut: true }, { 'set-cookie': sessionCookie('', 0, config.secureCookies) });
    case 'GET /auth/oidc':
      if (!config.oidc) return notFound();
      return json(res, 200, { providerName: config.oidc.providerName, signInUrl: '/auth/sign-in' });
    case 'GET /auth/sign-in': {
      if (!config.oidc) return notFound();
      try {
        const returnTo = new URL(instance, 'http://gateway').searchParams.get('returnTo');
        const { location, flow } = await oidcClientFor(config.oidc).start(returnTo, config.sessionKey);
        res.writeHead(303, { location, 'cache-control': 'no-store', 'set-cookie': flowCookie(flow, 600, config.secureCookies) });
        return void res.end();
      } catch (e) {
        if (e instanceof OidcRefusal) return sendSignInFailure(res, e, config.secureCookies);
        throw e;
      }
    }
    case 'GET /auth/callback': {
      if (!config.oidc) return notFound();
      try {
        const { session, returnTo } = await oidcClientFor(config.oidc).finish(req, config.sessionKey, config.secureCookies);
        const maxAge = session.exp - Math.floor(Date.now() / 1000);
        res.writeHead(303, {
          location: returnTo,
          'cache-control': 'no-store',
          'set-cookie': [sessionCookie(sealSession(session, config.sessionKey), maxAge, config.secureCookies), flowCookie('', 0, config.secureCookies)],
        });
        return void res.end();
      } catch (e) {
        if (e instanceof OidcRefusal) return sendSignInFailure(res, e, config.secureCookies);
        throw e;
      }
    }
    case 'GET /auth/dev-sign-in':
      if (!config.devSignIn) return notFound();
      return json(res, 200, { tenants: [DEMO_TENANT], roles: ROLES });
    case 'POST /auth/dev-sign-in': {
      if (!config.devSignIn) return notFound();
      let input: z.infer<typeof devSignInSchema>;
      try {
        const parsed = devSignInSchema.safeParse(await readJson(req, 16 * 1024));
        if (!parsed.success) {
          const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
          return sendProblem(res, { status: 400, code: 'VALIDATION_FAILED', title: 'The sign-in request is not valid', detail }, instance);
        }
        input = parsed.data;
      } catch (e) {
        const tooLarge = e instanceof RangeError;
        return sendProblem(res, { status: tooLarge ? 413 : 400, code: tooLarge ? 'PAYLOAD_TOO_LARGE' : 'MALFORMED_JSON', title: tooLarge ? 'Payload too large' : 'Malformed JSON', detail: tooLarge ? 'At most 16 KiB.' : 'The body is not JSON.' }, instance);
      }
      const sub = input.sub ?? `${input.role}@${input.tenant}`;
      const email = `${sub.replace(/@.*/, '')}@${input.tenant}.localhost`;
      const token = await signDevToken({ tenant: input.tenant, roles: [input.role], sub, email, expiresIn: '8h' });
      const exp = decodeJwt(token).exp ?? 0;
      const session: Session = { token, sub, tenant: input.tenant, roles: [input.role], email, exp };
      const maxAge = exp - Math.floor(Date.now() / 1000);
      return json(res, 200, publicView(session), { 'set-cookie': sessionCookie(sealSession(session, config.sessionKey), maxAge, config.secureCookies) });
    }
    default:
      return notFound();
  }
}
