import { SetMetadata, applyDecorators, createParamDecorator } from '@nestjs/common';
import type { ExecutionContext } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { DECORATORS } from '@nestjs/swagger';
import { tokenMissing } from './auth.errors';
import { principalOf } from './principal.request';
import { ROLES } from './principal.model';
import type { Principal, Role } from './principal.model';

export const IS_PUBLIC_KEY = 'pm:auth:public';
export const ROLES_KEY = 'pm:auth:roles';

/**
 * Opens a handler or controller to anonymous callers (health, metrics). It also clears the
 * bearer requirement for it in the OpenAPI document, which otherwise applies to everything.
 */
export function Public(): MethodDecorator & ClassDecorator {
  return applyDecorators(SetMetadata(IS_PUBLIC_KEY, true), SetMetadata(DECORATORS.API_SECURITY, []));
}

/**
 * Only callers holding at least one of these roles get in (403 otherwise). On a handler it
 * replaces, not extends, the roles of its controller. No role implies another: list
 * `pmo-admin` where administrators should pass.
 */
export function Roles(...roles: [Role, ...Role[]]): MethodDecorator & ClassDecorator {
  return SetMetadata(ROLES_KEY, roles);
}

/**
 * Every role of the tenant may call it (reads open to viewers and team members alike). Said explicitly rather
 * than left unsaid, so that an endpoint without a rule stands out (test/permissions.spec.ts fails on one).
 */
export function AnyRole(): MethodDecorator & ClassDecorator {
  return Roles(...ROLES);
}

/** The authenticated caller of `request`. On a `@Public()` handler there is none, and asking is a 401. */
export function requirePrincipal(request: IncomingMessage): Principal {
  const principal = principalOf(request);
  if (!principal) throw tokenMissing();
  return principal;
}

/** The authenticated caller (see {@link requirePrincipal}). */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal =>
  requirePrincipal(context.switchToHttp().getRequest<IncomingMessage>()),
);
