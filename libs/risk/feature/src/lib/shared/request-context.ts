import type { Clock, RequestContext } from '@pm/platform/request-context';
import { systemContext as platformSystemContext } from '@pm/platform/request-context';
import type { CommandMetadata } from '@pm/shared/ddd';
import { RISK_SERVICE } from './risk-options';

export { requestContext } from '@pm/platform/request-context';
export type { RequestContext } from '@pm/platform/request-context';

/** A timer's context: the scheduler's clock is the command's "now", so a test that moves the clock moves it too. */
export const timerContext = (tenantId: string, clock: Clock): RequestContext => platformSystemContext(RISK_SERVICE, tenantId, undefined, clock);

export const commandMetadata = (ctx: RequestContext): CommandMetadata => ({ now: ctx.now, actor: ctx.principal.actor, tenantId: ctx.principal.tenantId });
