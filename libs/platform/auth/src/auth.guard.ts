import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { IncomingMessage } from 'node:http';
import { IS_PUBLIC_KEY, ROLES_KEY } from './auth.decorators';
import { authUnavailable, forbidden, noRole, tokenInvalid, tokenMissing } from './auth.errors';
import { attachPrincipal } from './principal.request';
import type { Principal, Role } from './principal.model';
import { REQUEST_ADMISSION } from './request-admission';
import type { RequestAdmission } from './request-admission';
import { AccessTokenRejected, TokenVerifier } from './token-verifier';

/**
 * Registered globally by {@link AuthModule}: every HTTP endpoint needs a valid bearer token
 * unless marked `@Public()`, and a token holding at least one role; then `@Roles(...)` narrows
 * who may call it. Every non-public endpoint names its roles (docs/permissions.md, checked by
 * test/permissions.spec.ts).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger(AuthGuard.name);

  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(TokenVerifier) private readonly verifier: TokenVerifier,
    @Optional() @Inject(REQUEST_ADMISSION) private readonly admission?: RequestAdmission,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    // Kafka consumers and other transports carry their own identity (the event's actor).
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC_KEY, targets)) return true;

    const request = context.switchToHttp().getRequest<IncomingMessage>();
    const token = bearerToken(request.headers.authorization);
    if (!token) throw tokenMissing();
    const principal = await this.authenticate(token);
    attachPrincipal(request, principal);
    // Counted before the role checks: a caller hammering endpoints it may not use is limited all the same.
    await this.admission?.admit(principal, request);

    // A token with no role of this platform reads nothing either: only @Public() routes (health) serve it.
    if (principal.roles.length === 0) throw noRole();
    const required = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (required?.length && !principal.roles.some((role) => required.includes(role))) throw forbidden(required);
    return true;
  }

  private async authenticate(token: string): Promise<Principal> {
    try {
      return await this.verifier.verify(token);
    } catch (error) {
      if (!(error instanceof AccessTokenRejected)) throw error;
      if (error.reason === 'unavailable') throw authUnavailable(error.cause);
      this.logger.debug?.(`Rejected bearer token: ${error.message}`);
      throw tokenInvalid(error.message);
    }
  }
}

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer[ ]+([A-Za-z0-9\-_.~+/]+=*)\s*$/i.exec(header ?? '');
  return match?.[1];
}
