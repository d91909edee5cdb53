import http from 'node:http';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { sendProblem } from './problem';

// RFC 9110 §7.6.1 hop-by-hop fields, plus what the gateway owns: the browser's cookie stays here, the bearer comes
// from the session only, and upstream cookies (e.g. the notification service's stream ticket) are not the browser's.
const DROP_REQUEST = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'host', 'cookie', 'authorization', 'x-requested-with', 'origin', 'referer', 'content-length']);
const DROP_RESPONSE = new Set(['connection', 'keep-alive', 'transfer-encoding', 'trailer', 'upgrade', 'set-cookie']);

export interface ProxyRequest {
  readonly upstream: URL;
  readonly serviceLabel: string;
  readonly path: string;
  readonly token: string;
  readonly bodyLimitBytes: number;
  readonly timeoutMs: number;
}

function forwardedHeaders(req: IncomingMessage, token: string): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(req.headers)) if (!DROP_REQUEST.has(name) && value !== undefined) headers[name] = value;
  headers.authorization = `Bearer ${token}`;
  if (req.headers['content-length'] !== undefined) headers['content-length'] = req.headers['content-length'];
  else if (req.headers['transfer-encoding'] !== undefined) headers['transfer-encoding'] = 'chunked';
  headers['x-forwarded-for'] = req.socket.remoteAddress ?? '';
  return headers;
}

/** Streams the request to the service and its answer back (SSE included); the body is counted against the limit. */
export function proxy(req: IncomingMessage, res: ServerResponse, target: ProxyRequest): void {
  const instance = req.url ?? '/';
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > target.bodyLimitBytes) {
    sendProblem(res, { status: 413, code: 'PAYLOAD_TOO_LARGE', title: 'Payload too large', detail: `The body may hold at most ${target.bodyLimitBytes} bytes.` }, instance, { connection: 'close' });
    req.resume();
    return;
  }
  const upstreamReq = http.request(
    { protocol: target.upstream.protocol, hostname: target.upstream.hostname, port: target.upstream.port, method: req.method, path: target.path, headers: forwardedHeaders(req, target.token), timeout: target.timeoutMs },
    (upstreamRes) => {
      if (answered) return void upstreamRes.destroy();
      answered = true;
      const headers: OutgoingHttpHeaders = {};
      for (const [name, value] of Object.entries(upstreamRes.headers)) if (!DROP_RESPONSE.has(name) && value !== undefined) headers[name] = value;
      res.writeHead(upstreamRes.statusCode ?? 502, headers);
      upstreamRes.pipe(res);
      res.on('close', () => upstreamRes.destroy());
    },
  );
  let answered = false;
  const fail = (...args: Parameters<typeof sendProblem>) => {
    if (answered) return;
    answered = true;
    upstreamReq.destroy();
    sendProblem(...args);
  };
  upstreamReq.on('timeout', () => {
    fail(res, { status: 504, code: 'UPSTREAM_TIMED_OUT', title: 'The service took too long', detail: `The ${target.serviceLabel} service did not answer in time.` }, instance);
  });
  upstreamReq.on('error', () => {
    fail(res, { status: 502, code: 'UPSTREAM_UNAVAILABLE', title: 'A service is not answering', detail: `The ${target.serviceLabel} service is not answering.` }, instance, { 'retry-after': '5' });
  });
  let received = 0;
  req.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received > target.bodyLimitBytes) {
      req.unpipe(upstreamReq);
      fail(res, { status: 413, code: 'PAYLOAD_TOO_LARGE', title: 'Payload too large', detail: `The body may hold at most ${target.bodyLimitBytes} bytes.` }, instance, { connection: 'close' });
    }
  });
  req.pipe(upstreamReq);
  res.on('close', () => {
    if (!res.writableFinished) upstreamReq.destroy();
  });
}
