import { Logger, Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from './auth.guard';
import { resolveAuthConfig } from './auth.options';
import type { AuthOptions, ResolvedAuthConfig } from './auth.options';
import { TokenVerifier } from './token-verifier';

export const AUTH_CONFIG = Symbol('AUTH_CONFIG');

/**
 * `AuthModule.forRoot()` once in each service's app module. Configuration comes from the
 * environment (`AUTH_JWKS_URL`, `AUTH_JWT_SECRET`, `AUTH_ISSUER`, `AUTH_AUDIENCE`) unless
 * given here; a production configuration without real keys fails the boot.
 */
@Module({})
export class AuthModule {
  static forRoot(options: AuthOptions = {}): DynamicModule {
    return {
      module: AuthModule,
      global: true,
      providers: [
        { provide: AUTH_CONFIG, useFactory: () => logged(resolveAuthConfig(options)) },
        { provide: TokenVerifier, useFactory: (config: ResolvedAuthConfig) => new TokenVerifier(config), inject: [AUTH_CONFIG] },
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
      exports: [AUTH_CONFIG, TokenVerifier],
    };
  }
}

function logged(config: ResolvedAuthConfig): ResolvedAuthConfig {
  const logger = new Logger(AuthModule.name);
  if (config.key.kind === 'jwks') logger.log(`Verifying bearer tokens against ${config.key.url.origin}${config.key.url.pathname}`);
  else logger.warn('Verifying bearer tokens with a shared HS256 secret: fine for development, not for production');
  return config;
}
