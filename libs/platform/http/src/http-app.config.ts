import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ProblemDetailsFilter } from './problem-details.filter';
import { securityHeadersMiddleware } from './security-headers';
import { textSafetyMiddleware } from './text-safety';

export interface HttpAppOptions {
  /** Largest JSON body accepted (bytes or a `bytes` string); `HTTP_BODY_LIMIT` env, else 1mb. */
  bodyLimit?: string | number;
}

export const DEFAULT_BODY_LIMIT = '1mb';

/**
 * The HTTP behaviour every service shares, applied before `init()`/`listen()`: security headers
 * (helmet: HSTS, nosniff, frame-ancestors 'none', a CSP per API or /docs), a JSON body
 * parser with an explicit limit (also for `application/*+json`, e.g. merge-patch), text safety
 * (400 INVALID_TEXT for NUL or lone surrogates in path, query or body) and problem+json for every
 * error. Tests call it on their test app to get the same behaviour.
 */
export function configureHttpApp(app: INestApplication, options: HttpAppOptions = {}): void {
  const expressApp = app as NestExpressApplication;
  expressApp.use(securityHeadersMiddleware());
  const limit = options.bodyLimit ?? process.env['HTTP_BODY_LIMIT'] ?? DEFAULT_BODY_LIMIT;
  expressApp.useBodyParser('json', { limit, type: ['application/json', 'application/*+json'] });
  // Registered here rather than by Nest at init, so that the text check below sees form bodies parsed too.
  expressApp.useBodyParser('urlencoded', { limit, extended: true });
  // After the parsers, before any route: NUL and lone surrogates never reach a handler, PostgreSQL or Kafka.
  expressApp.use(textSafetyMiddleware);
  expressApp.disable('x-powered-by');
  app.useGlobalFilters(new ProblemDetailsFilter());
}
