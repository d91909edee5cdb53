import type { IncomingMessage } from 'node:http';
import type { Principal } from './principal.model';

/**
 * Asked by the guard once a caller is authenticated, before its roles are checked: may this principal's request
 * go on now? Rejects with a problem (429 from the rate limiter). Optional: an app without a provider admits all.
 */
export interface RequestAdmission {
  admit(principal: Principal, request: IncomingMessage): Promise<void>;
}

export const REQUEST_ADMISSION = Symbol('REQUEST_ADMISSION');
