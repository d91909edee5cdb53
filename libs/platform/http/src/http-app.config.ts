import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { answerClientErrorsAsProblems } from './client-error';
import { ProblemDetailsFilter } from './problem-details.filter';
import { requestTimeoutFromEnv, requestTimeoutMiddleware } from './request-timeout';

export interface HttpAppOptions {
  /** Largest JSON body accepted (bytes or a `bytes` string); `HTTP_BODY_LIMIT` env, else 1mb. */
  bodyLimit?: string | number;
  /** Longest a request may go unanswered before a 503 `REQUEST_TIMED_OUT`; `HTTP_REQUEST_TIMEOUT_MS` env, else 30 s. */
  requestTimeoutMs?: number;
}

export const DEFAULT_BODY_LIMIT = '1mb';

/**
 * The HTTP behaviour every service shares, applied before `init()`/`listen()`: a JSON body
 * parser with an explicit limit (also for `application/*+json`, e.g. merge-patch) and
 * problem+json for every error. Tests call it on their test app to get the same behaviour.
 */
export function configureHttpApp(app: INestApplication, options: HttpAppOptions = {}): void {
  const expressApp = app as NestExpressApplication;
  expressApp.use(requestTimeoutMiddleware(options.requestTimeoutMs ?? requestTimeoutFromEnv()));
  answerClientErrorsAsProblems(expressApp.getHttpServer());
  expressApp.useBodyParser('json', {
    limit: options.bodyLimit ?? process.env['HTTP_BODY_LIMIT'] ?? DEFAULT_BODY_LIMIT,
    type: ['application/json', 'application/*+json'],
    reviver: rejectUnstorableText,
  });
  expressApp.disable('x-powered-by');
  app.useGlobalFilters(new ProblemDetailsFilter());
}

// A NUL character or a lone UTF-16 surrogate is valid JSON but not storable text (PostgreSQL refuses both), and
// no business value needs them: refuse them while parsing, so the client gets a 400, never a 500 later on.
// eslint-disable-next-line no-control-regex -- the NUL control character is exactly what is refused here
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function rejectUnstorableText(key: string, value: unknown): unknown {
  if ((typeof value === 'string' && UNSTORABLE.test(value)) || UNSTORABLE.test(key)) {
    throw new SyntaxError('JSON text holds a NUL character or an unpaired surrogate');
  }
  return value;
}
