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
    serializers: {
      // pino-http hands over its serialized request: keep no credential a client put in the query string.
      req: (req: { url?: unknown; query?: unknown }) => {
        if (typeof req.url === 'string') req.url = redactUrl(req.url);
        if (typeof req.query === 'object' && req.query !== null) req.query = redactSensitive(req.query);
        return req;
      },
    },
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
