import { systemContext as platformSystemContext } from '@pm/platform/request-context';
import type { Cause, RequestContext } from '@pm/platform/request-context';
import type { Caller, CommandMetadata } from '@pm/resource/domain';
import { RESOURCE_SERVICE } from './resource-options';

export { requestContext } from '@pm/platform/request-context';
export type { Cause, RequestContext } from '@pm/platform/request-context';

/**
 * A context for work the service does on its own: re-evaluating over-allocation after a planning event or one of
 * its own. Given the event that caused it, the events raised keep its correlation, name it as their causation and
 * continue its trace; without one (a rebuild), they start their own.
 */
export const systemContext = (tenantId: string, cause?: Cause | null): RequestContext => platformSystemContext(RESOURCE_SERVICE, tenantId, cause ?? undefined);

export const commandMetadata = (ctx: RequestContext): CommandMetadata => ({ now: ctx.now, actor: ctx.principal.actor, tenantId: ctx.principal.tenantId });
/** The actor is the principal's own (percent-encoded `user:<sub>`), so the domain compares like with like. */
export const callerOf = (ctx: RequestContext): Caller => ({ userId: ctx.principal.sub, actor: ctx.principal.actor, roles: ctx.principal.roles });
