import type { IncomingMessage } from 'node:http';
import type { Principal } from './principal.model';

// A symbol, so nothing parsed from the request (a body field, a header) can pose as it.
const PRINCIPAL = Symbol.for('pm.platform.auth.principal');

export interface AuthenticatedRequest extends IncomingMessage {
  [PRINCIPAL]?: Principal;
}

/** The principal the guard attached to this request, if it was authenticated. */
export function principalOf(request: IncomingMessage): Principal | undefined {
  return (request as AuthenticatedRequest)[PRINCIPAL];
}

export function attachPrincipal(request: IncomingMessage, principal: Principal): void {
  (request as AuthenticatedRequest)[PRINCIPAL] = principal;
}
