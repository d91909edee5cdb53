import http from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { apiTarget } from './api-path';
import { handleAuth } from './auth-routes';
import { csrfRefusal } from './csrf';
import type { GatewayConfig } from './gateway.config';
import { rawProblem, sendProblem } from './problem';
import { proxy } from './proxy';
import { freshSession } from './session-refresh';
import { serveWebApp } from './static-files';

/** The same request-line-and-headers cap the services apply (docs/security.md, Limits). */
export const MAX_HEADER_BYTES = 16 * 1024;

export type GatewayLog = (line: Record<string, unknown>) => void;

const SECURITY_HEADERS: Record<string, string> = {
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
};

/** The path only: queries are never logged, in case a client put a credential there (the page never does). */
const loggedPath = (url: string | undefined) => (url ?? '/').split('?')[0].slice(0, 512);

async function route(req: IncomingMessage, res: ServerResponse, config: GatewayConfig): Promise<void> {
  const url = req.url ?? '/';
  const instance = url;
  const refusal = csrfRefusal(req);
  const under = (prefix: string) => url === prefix || url.startsWith(`${prefix}/`) || url.startsWith(`${prefix}?`);
  if (under('/api') || under('/auth')) {
    if (refusal) return sendProblem(res, { status: 403, code: 'CSRF_REFUSED', title: 'Request refused', detail: refusal }, instance);
  }
  if (under('/auth')) return handleAuth(req, res, config);
  if (under('/api')) {
    const target = apiTarget(url);
    if (!target.ok) return sendProblem(res, { status: target.status, code: target.code, title: target.status === 404 ? 'Unknown service' : 'Bad path', detail: target.detail }, instance);
    const session = await freshSession(req, res, config);
    if (!session) return sendProblem(res, { status: 401, code: 'SESSION_REQUIRED', title: 'Not signed in', detail: 'Sign in again: the session is missing or has expired.' }, instance);
    return proxy(req, res, {
      upstream: config.upstreams[target.service],
      serviceLabel: target.service,
      path: target.path,
      token: session.token,
      bodyLimitBytes: config.bodyLimitBytes,
      timeoutMs: config.upstreamTimeoutMs,
    });
  }
  if (url === '/health/live' || url === '/health/ready') {
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify({ status: 'ok' }));
    return;
  }
  return serveWebApp(req, res, config.webRoot);
}

/** The one origin of the dashboard: the built web app, the browser's session, and /api/<service>/* to the services. */
export function createGateway(config: GatewayConfig, log: GatewayLog = (line) => process.stdout.write(`${JSON.stringify(line)}\n`)): Server {
  const server = http.createServer({ maxHeaderSize: MAX_HEADER_BYTES, requestTimeout: config.upstreamTimeoutMs }, (req, res) => {
    const started = process.hrtime.bigint();
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    res.on('finish', () => {
      log({ level: 'info', msg: 'request', method: req.method, path: loggedPath(req.url), status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6 });
    });
    route(req, res, config).catch((error: unknown) => {
      log({ level: 'error', msg: 'unexpected gateway error', path: loggedPath(req.url), error: error instanceof Error ? error.message : String(error) });
      sendProblem(res, { status: 500, code: 'INTERNAL_ERROR', title: 'Internal error', detail: 'The gateway failed unexpectedly.' }, req.url ?? '/');
    });
  });
  // Node refuses oversize or malformed heads before any handler runs: answer those as problems too, not a bare 400.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    socket.end(
      tooLarge
        ? rawProblem(431, 'Request Header Fields Too Large', { code: 'REQUEST_HEADERS_TOO_LARGE', title: 'Request headers too large', detail: `The request line and headers may hold at most ${MAX_HEADER_BYTES} bytes.` })
        : rawProblem(400, 'Bad Request', { code: 'MALFORMED_REQUEST', title: 'Malformed request', detail: 'The request could not be parsed as HTTP/1.1.' }),
    );
  });
  return server;
}
