import { Injectable, createParamDecorator } from '@nestjs/common';
import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { map } from 'rxjs';
import type { Observable } from 'rxjs';
import { requirePrincipal } from '@pm/platform/auth';
import { requestContext } from '@pm/platform/request-context';
import type { RequestContext } from '@pm/platform/request-context';

const header = (request: IncomingMessage, name: string): string | undefined => {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
};

/** The command's context: the verified principal, the clock's now, the caller's correlation id and trace context. */
export const CommandCtx = createParamDecorator((_data: unknown, context: ExecutionContext): RequestContext => {
  const request = context.switchToHttp().getRequest<IncomingMessage>();
  return requestContext(requirePrincipal(request), { correlationId: header(request, 'x-correlation-id'), traceparent: header(request, 'traceparent') });
});

/** `ETag: "<stream version>"` on every answer that carries a `version`, as planning's answers do. */
@Injectable()
export class VersionETag implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const response = context.switchToHttp().getResponse<ServerResponse>();
    return next.handle().pipe(
      map((body: unknown) => {
        const version = (body as { version?: unknown } | null)?.version;
        if (typeof version === 'number' && !response.headersSent) response.setHeader('ETag', `"${version}"`);
        return body;
      }),
    );
  }
}
