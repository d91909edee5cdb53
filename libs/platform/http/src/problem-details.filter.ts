import { Catch, Logger } from '@nestjs/common';
import type { ArgumentsHost, ExceptionFilter } from '@nestjs/common';
import { context as otelContext, isSpanContextValid, trace } from '@opentelemetry/api';
import type { ServerResponse } from 'node:http';
import { requestPath } from './http-request.types';
import { IdempotentReplay } from './idempotency/idempotency.interceptor';
import type { HttpRequest } from './http-request.types';
import { toProblem } from './problem-details.mapper';
import { PROBLEM_CONTENT_TYPE } from './problem-details.types';

/**
 * Renders every exception of an HTTP request as RFC 9457 problem+json: validation, malformed
 * bodies, unknown routes, Nest HttpExceptions, domain errors, and anything else as a generic 500
 * whose message and stack only go to the log. Also writes out a replayed idempotent answer.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemDetailsFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const request = http.getRequest<HttpRequest>();
    const response = http.getResponse<ServerResponse>();
    // Not an error: a stored answer to a retried command (ADR 0013), written out as it was first sent.
    if (exception instanceof IdempotentReplay && !response.headersSent) return exception.writeTo(response);

    const { problem, headers, logAsError } = toProblem(exception, {
      instance: requestPath(request),
      traceId: activeTraceId(),
    });
    if (logAsError) {
      this.logger.error({ err: exception, code: problem.code, status: problem.status }, 'Request failed');
    }
    if (response.headersSent) {
      // A streamed response broke mid-way: the status line is gone, all we can do is cut it.
      response.end();
      return;
    }
    const body = JSON.stringify(problem);
    for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
    response.statusCode = problem.status;
    response.setHeader('Content-Type', `${PROBLEM_CONTENT_TYPE}; charset=utf-8`);
    response.setHeader('Content-Length', Buffer.byteLength(body));
    response.end(body);
  }
}

function activeTraceId(): string | undefined {
  const spanContext = trace.getSpan(otelContext.active())?.spanContext();
  return spanContext && isSpanContextValid(spanContext) ? spanContext.traceId : undefined;
}
