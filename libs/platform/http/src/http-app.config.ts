import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { answerClientErrorsAsProblems } from './client-error';
import { rememberRawBody } from './idempotency/idempotency-key';
import { ProblemDetailsFilter } from './problem-details.filter';
import { applyKeepAliveTimeout, keepAliveTimeoutFromEnv, requestTimeoutFromEnv, requestTimeoutMiddleware } from './request-timeout';
import { securityHeadersMiddleware } from './security-headers';
import { textSafetyMiddleware } from './text-safety';

export interface HttpAppOptions {
  /** Largest JSON body accepted (bytes or a `bytes` string); `HTTP_BODY_LIMIT` env, else 1mb. */
  bodyLimit?: string | number;
  /** Longest a request may go unanswered before a 503 `REQUEST_TIMED_OUT`; `HTTP_REQUEST_TIMEOUT_MS` env, else 30 s. */
  requestTimeoutMs?: number;
  /** How long an idle kept-alive connection stays open; `HTTP_KEEP_ALIVE_TIMEOUT_MS` env, else 65 s. */
  keepAliveTimeoutMs?: number;
}

export const DEFAULT_BODY_LIMIT = '1mb';

/**
 * The HTTP behaviour every service shares, applied before `init()`/`listen()`: a request timeout (503
 * REQUEST_TIMED_OUT), problem+json for requests Node's parser refuses (431, 400), security headers
 * (helmet: HSTS, nosniff, frame-ancestors 'none', a CSP per API or /docs), a JSON body
 * parser with an explicit limit (also for `application/*+json`, e.g. merge-patch), text safety
 * (400 INVALID_TEXT for NUL or lone surrogates in path, query or body) and problem+json for every
 * error. Tests call it on their test app to get the same behaviour.
 */
export function configureHttpApp(app: INestApplication, options: HttpAppOptions = {}): void {
  const expressApp = app as NestExpressApplication;
  // First: the deadline also covers a body still uploading and every middleware after it.
  expressApp.use(requestTimeoutMiddleware(options.requestTimeoutMs ?? requestTimeoutFromEnv()));
  answerClientErrorsAsProblems(expressApp.getHttpServer());
  applyKeepAliveTimeout(expressApp.getHttpServer(), options.keepAliveTimeoutMs ?? keepAliveTimeoutFromEnv());
  expressApp.use(securityHeadersMiddleware());
  const limit = options.bodyLimit ?? process.env['HTTP_BODY_LIMIT'] ?? DEFAULT_BODY_LIMIT;
  // `verify` keeps the parsed bytes for the Idempotency-Key request fingerprint (ADR 0013).
  expressApp.useBodyParser('json', { limit, type: ['application/json', 'application/*+json'], verify: rememberRawBody });
  // Registered here rather than by Nest at init, so that the text check below sees form bodies parsed too.
  expressApp.useBodyParser('urlencoded', { limit, extended: true, verify: rememberRawBody });
  // After the parsers, before any route: NUL and lone surrogates never reach a handler, PostgreSQL or Kafka.
  expressApp.use(textSafetyMiddleware);
  expressApp.disable('x-powered-by');
  app.useGlobalFilters(new ProblemDetailsFilter());
}
