import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { Observable, from, switchMap } from 'rxjs';
import { runWithIdempotencyClaim } from '@pm/platform/request-context';
import type { IdempotencyClaim } from '@pm/platform/request-context';
import { ProblemException } from '../problem.exception';
import { requestPath } from '../http-request.types';
import type { HttpRequest } from '../http-request.types';
import { COMMAND_METHODS, IDEMPOTENCY_CODES, IDEMPOTENCY_KEY_HEADER, IDEMPOTENCY_RECOVERED_HEADER, IDEMPOTENT_REPLAYED_HEADER, parseIdempotencyKey, requestFingerprint } from './idempotency-key';
import type { IdempotencyRecords, StoredResponse } from './idempotency-records';

/** The caller a key belongs to: one caller's key never meets another's. */
export type CallerOf = (request: HttpRequest) => { readonly tenantId: string; readonly sub: string } | undefined;

/** Headers of an answer worth replaying; the rest (dates, trace ids, rate-limit counters) belong to each reply. */
const KEPT_HEADERS = ['content-type', 'location', 'content-location', 'etag'] as const;

/**
 * A stored answer sent again. Thrown by the interceptor so the handler never runs and Nest's own reply (which would
 * set the route's status) never happens; the ProblemDetailsFilter writes it out as stored.
 */
export class IdempotentReplay {
  constructor(readonly response: StoredResponse) {}

  writeTo(response: ServerResponse): void {
    for (const [name, value] of Object.entries(this.response.headers)) response.setHeader(name, value);
    response.setHeader(IDEMPOTENT_REPLAYED_HEADER, 'true');
    if (this.response.recovered) response.setHeader(IDEMPOTENCY_RECOVERED_HEADER, 'true');
    response.statusCode = this.response.status;
    response.setHeader('Content-Length', this.response.body.length);
    response.end(this.response.body);
  }
}

/**
 * `Idempotency-Key` on every command route (POST, PUT, PATCH, DELETE) of every service (ADR 0013): the first request
 * with a key runs and its 2xx/4xx answer is stored; the same request again gets that answer with
 * `Idempotent-Replayed: true`; another request with the key is a 422; the same key while the first still runs is a
 * 409 with `Retry-After`. The handler runs with the claim in scope, so the write path commits the key row's
 * "committed" mark with the command's events.
 */
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly log = new Logger('Idempotency');

  constructor(
    private readonly records: IdempotencyRecords,
    private readonly callerOf: CallerOf,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<HttpRequest>();
    const response = context.switchToHttp().getResponse<ServerResponse>();
    const header = request.headers[IDEMPOTENCY_KEY_HEADER.toLowerCase()];
    if (header === undefined || !COMMAND_METHODS.has(request.method ?? '')) return next.handle();
    const key = parseIdempotencyKey(header);
    const caller = this.callerOf(request);
    if (!caller) return next.handle();
    const claim: IdempotencyClaim = { tenantId: caller.tenantId, principal: caller.sub, key, token: randomUUID() };
    // Nest has set the route's status (its @HttpCode or the method's default) before interceptors run.
    const successStatus = response.statusCode;
    return from(this.records.claim({ claim, method: request.method ?? '', path: requestPath(request), fingerprint: requestFingerprint(request), successStatus })).pipe(
      switchMap((outcome) => {
        switch (outcome.kind) {
          case 'claimed':
            this.storeAnswerOf(response, claim);
            return new Observable<unknown>((subscriber) => runWithIdempotencyClaim(claim, () => next.handle().subscribe(subscriber)));
          case 'replay':
            throw new IdempotentReplay(outcome.response);
          case 'in-flight':
            throw new ProblemException({
              status: 409,
              code: IDEMPOTENCY_CODES.inFlight,
              detail: `A request with this ${IDEMPOTENCY_KEY_HEADER} is still being processed; retry after it has been answered`,
              headers: { 'Retry-After': '1' },
            });
          case 'reused':
            throw new ProblemException({
              status: 422,
              code: IDEMPOTENCY_CODES.reused,
              detail: `This ${IDEMPOTENCY_KEY_HEADER} was used for a different request (method, path or body); use a new key for a new request`,
            });
          default:
            return assertNever(outcome);
        }
      }),
    );
  }

  /**
   * Stores the answer before it leaves: whatever writes it (Nest's reply or the problem filter) ends the response
   * once, with the whole body. A 5xx is not stored, so a retry runs the command again (unless it committed).
   */
  private storeAnswerOf(response: ServerResponse, claim: IdempotencyClaim): void {
    const end = response.end;
    const intercepted = (...args: unknown[]): ServerResponse => {
      response.end = end;
      const [chunk, encoding] = args;
      const body = typeof chunk === 'string' ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8') : Buffer.isBuffer(chunk) ? chunk : Buffer.alloc(0);
      const stored = response.statusCode >= 500 ? this.records.release(claim) : this.records.complete(claim, { status: response.statusCode, headers: keptHeaders(response), body, recovered: false });
      void stored
        .catch((error: unknown) => this.log.warn({ err: (error as Error).message, status: response.statusCode }, 'idempotency key outcome not stored'))
        .finally(() => (end as (...a: unknown[]) => ServerResponse).apply(response, args));
      return response;
    };
    response.end = intercepted as ServerResponse['end'];
  }
}

function keptHeaders(response: ServerResponse): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = response.getHeader(name);
    if (value !== undefined) kept[name] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return kept;
}

function assertNever(value: never): never {
  throw new Error(`Unexpected claim outcome ${JSON.stringify(value)}`);
}
