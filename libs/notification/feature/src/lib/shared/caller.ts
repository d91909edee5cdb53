import { createParamDecorator } from '@nestjs/common';
import type { ExecutionContext } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { requirePrincipal } from '@pm/platform/auth';
import { requestContext } from '@pm/platform/request-context';
import type { RequestContext } from '@pm/platform/request-context';
import type { CommandMetadata } from '@pm/shared/ddd';

const single = (value: string | string[] | undefined): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * The caller as every route of this service needs it: the principal (whose `sub` is the only inbox and preferences it
 * may touch), the clock's now, and the correlation and trace context that go into the events it causes.
 */
export const Caller = createParamDecorator((_data: unknown, context: ExecutionContext): RequestContext => {
  const request = context.switchToHttp().getRequest<IncomingMessage>();
  return requestContext(requirePrincipal(request), { correlationId: single(request.headers['x-correlation-id']), traceparent: single(request.headers.traceparent) });
});

export const metadataOf = (ctx: RequestContext): CommandMetadata => ({ now: ctx.now, actor: ctx.principal.actor, tenantId: ctx.principal.tenantId });
