import { systemContext as platformSystemContext } from '@pm/platform/event-store';
import type { RequestContext } from '@pm/platform/event-store';
import type { Caller, CommandMetadata } from '@pm/resource/domain';

export { metadataFor, requestContext } from '@pm/platform/event-store';
export type { RequestContext } from '@pm/platform/event-store';

/** A context for work the service does on its own (re-evaluating over-allocation after a planning event). */
export const systemContext = (tenantId: string, correlationId?: string): RequestContext =>
  platformSystemContext('resource-service', tenantId, correlationId);

export const commandMetadata = (ctx: RequestContext): CommandMetadata => ({ now: ctx.now, actor: ctx.principal.actor, tenantId: ctx.principal.tenantId });
/** The actor is the principal's own (percent-encoded `user:<sub>`), so the domain compares like with like. */
export const callerOf = (ctx: RequestContext): Caller => ({ userId: ctx.principal.sub, actor: ctx.principal.actor, roles: ctx.principal.roles });
