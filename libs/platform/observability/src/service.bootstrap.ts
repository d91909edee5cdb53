import type { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AddressInfo } from 'node:net';
import { Logger } from 'nestjs-pino';
import { apiDocsEnabled, configureHttpApp, OPENAPI_PATHS, setupOpenApi } from '@pm/platform/http';
import type { OpenApiOptions } from '@pm/platform/http';
import { startTelemetry } from './telemetry.sdk';

interface BootstrapCommon {
  serviceName: string;
  /** Used when `PORT` is not set (planning 3001, resource 3002, ...). */
  port: number;
  /** `HOST` env, else all interfaces (what a container needs). */
  host?: string;
  openApi?: Partial<OpenApiOptions>;
  /** JSON body limit; `HTTP_BODY_LIMIT` env, else 1mb. */
  bodyLimit?: string | number;
  /** Serve Swagger UI at /docs and the document at /docs-json; `API_DOCS` env, else off in production. */
  docs?: boolean;
}

/**
 * Either the app module (a class or a dynamic module), or a loader for it. Prefer the loader:
 * it lets telemetry start before the module's imports load `pg` and `kafkajs`, which is when
 * they get instrumented.
 */
export type BootstrapServiceOptions = BootstrapCommon &
  ({ module: AppModuleRef } | { loadModule: () => Promise<AppModuleRef> });

export type AppModuleRef = Type<unknown> | DynamicModule;

/**
 * Starts a service (main.ts calls it through {@link runService}):
 *
 *   runService({
 *     serviceName: 'planning-service',
 *     port: 3001,
 *     loadModule: async () => hostModule(await import('./app.module'), await import('./config')),
 *   });
 *
 * Starts telemetry, creates the app with the pino logger (the module must import
 * `ObservabilityModule.forRoot`), applies security headers, text safety, the JSON body limit and
 * problem+json errors, serves OpenAPI unless switched off (`API_DOCS`, off in production), and
 * closes gracefully on SIGTERM/SIGINT: the server stops accepting, in-flight requests finish, then
 * modules' `onApplicationShutdown` close pools and consumers.
 */
export async function bootstrapService(options: BootstrapServiceOptions): Promise<NestExpressApplication> {
  startTelemetry({ serviceName: options.serviceName });
  const module = 'module' in options ? options.module : await options.loadModule();
  const app = await NestFactory.create<NestExpressApplication>(module, { bufferLogs: true, abortOnError: false });
  const logger = pinoLoggerOf(app, options.serviceName);
  app.useLogger(logger);
  configureHttpApp(app, { bodyLimit: options.bodyLimit });
  const docs = options.docs ?? apiDocsEnabled();
  if (docs) {
    setupOpenApi(app, {
      title: options.openApi?.title ?? options.serviceName,
      description: options.openApi?.description,
      version: options.openApi?.version ?? process.env['npm_package_version'],
      servers: options.openApi?.servers ?? [{ url: `http://localhost:${options.port}`, description: 'Local development (npm start)' }],
    });
  }
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);

  const host = options.host ?? process.env['HOST'] ?? '0.0.0.0';
  await app.listen(portFrom(process.env['PORT'], options.port), host);
  const { port } = app.getHttpServer().address() as AddressInfo;
  const base = `http://${host === '0.0.0.0' || host === '::' ? 'localhost' : host}:${port}`;
  logger.log(
    `${options.serviceName} listening on ${base} (docs ${docs ? `${base}${OPENAPI_PATHS.ui}` : 'off'}, health ${base}/health/ready)`,
    'Bootstrap',
  );
  return app;
}

/**
 * The whole of a service's main.ts: {@link bootstrapService}, and a start that fails ends the process with its
 * error (exit code 1) rather than leaving it half up.
 */
export function runService(options: BootstrapServiceOptions): void {
  bootstrapService(options).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}

/**
 * A host's app module built the way every host builds it, `AppModule.register(configFromEnv())`, from its two
 * modules; main.ts imports them in `loadModule`, after telemetry started:
 *
 *   loadModule: async () => hostModule(await import('./app.module'), await import('./config')),
 */
export function hostModule<C>(
  app: { AppModule: { register(config: C): AppModuleRef } },
  config: { configFromEnv(): C },
): AppModuleRef {
  return app.AppModule.register(config.configFromEnv());
}

function pinoLoggerOf(app: NestExpressApplication, serviceName: string): Logger {
  try {
    return app.get(Logger);
  } catch (error) {
    throw new Error(`${serviceName}: the app module must import ObservabilityModule.forRoot({ serviceName })`, {
      cause: error,
    });
  }
}

function portFrom(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`PORT must be a TCP port, got "${value}"`);
  return port;
}
