import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import { stdTimeFunctions } from 'pino';
import type { Options } from 'pino-http';
import { principalOf } from '@pm/platform/auth';
import type { ObservabilityOptions } from './observability.options';
import { REDACTED, REDACTED_HEADER_PATHS, redactSensitive, redactUrl } from './log-redaction';
import { isProbePath } from './probe-paths';
import { activeTraceIds } from './trace-context.util';

export const REQUEST_ID_HEADER = 'x-request-id';

// An upstream id is reused (one id across the gateway and us) only if it cannot smuggle
// anything into the logs.
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdFor(request: IncomingMessage, response: ServerResponse): string {
  const incoming = request.headers[REQUEST_ID_HEADER];
  const id = typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
  response.setHeader(REQUEST_ID_HEADER, id);
  return id;
}

/**
 * nestjs-pino parameters: JSON lines with `service`, `traceId`/`spanId` of the active span,
 * the request id, the caller's tenant and actor on request logs, secrets redacted.
 */
export function loggerParams(options: ObservabilityOptions): Params {
  const pinoHttp: Options = {
    level: options.logLevel ?? 'info',
    base: { service: options.serviceName, pid: process.pid },
    timestamp: stdTimeFunctions.isoTime,
    formatters: {
      level: (label) => ({ level: label }),
      log: (object) => redactSensitive(object),
    },
    // Read at every log call, so it picks up whatever span is active right then.
    mixin: () => activeTraceIds() ?? {},
    redact: { paths: REDACTED_HEADER_PATHS, censor: REDACTED },
    // The `request completed` line says who asked what and how it ended, not every header: copying every header
    // to mask the credential ones was over a quarter of what logging cost a busy service (ADR 0023).
    serializers: { req: requestForLog, res: responseForLog },
    genReqId: requestIdFor,
    // Logs inside a request carry just `reqId`; the one `request completed` line has the whole
    // request and response, rather than every line repeating all headers.
    quietReqLogger: true,
    customProps: (request) => {
      const principal = principalOf(request);
      return principal ? { tenantId: principal.tenantId, actor: principal.actor } : {};
    },
    autoLogging: { ignore: (request) => isProbePath(request.url) },
    customLogLevel: (_request, response, error) =>
      error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info',
  };
  return { pinoHttp: options.logDestination ? [pinoHttp, options.logDestination] : pinoHttp };
}

/** What pino-http's standard serializer makes of a request (pino-std-serializers). */
interface SerializedRequest {
  id?: unknown;
  method?: unknown;
  url?: unknown;
  headers?: Record<string, string | string[] | undefined>;
  remoteAddress?: unknown;
  remotePort?: unknown;
}

/** Request headers the log line keeps (at most 256 characters each), under these names; no credential among them. */
const LOGGED_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ['user-agent', 'userAgent'],
  // Behind the gateway the peer is the gateway: the caller's address is what it forwards.
  ['x-forwarded-for', 'forwardedFor'],
  ['x-correlation-id', 'correlationId'],
];

/**
 * The request on its log line: id, method, URL (credential-looking query values replaced: the query string is
 * in it, so the parsed query and route params are not repeated), the peer, the body's declared length and the
 * headers of LOGGED_HEADERS. No credential header ever reaches the line; `redact` stays as the net for anything
 * else that logs headers.
 */
export function requestForLog(req: SerializedRequest): Record<string, unknown> {
  const headers = req.headers ?? {};
  const line: Record<string, unknown> = {
    id: req.id,
    method: req.method,
    url: typeof req.url === 'string' ? redactUrl(req.url) : req.url,
    remoteAddress: req.remoteAddress,
    remotePort: req.remotePort,
  };
  if (typeof headers['content-length'] === 'string') line['contentLength'] = Number(headers['content-length']);
  for (const [header, key] of LOGGED_HEADERS) {
    const value = headers[header];
    if (typeof value === 'string') line[key] = value.slice(0, 256);
  }
  return line;
}

/** The response on its log line: its status (its headers are the service's own, the same on every line). */
export function responseForLog(res: { statusCode?: unknown }): Record<string, unknown> {
  return { statusCode: res.statusCode };
}
