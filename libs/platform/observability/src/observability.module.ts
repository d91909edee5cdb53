import { Inject, Injectable, Logger, Module, RequestMethod } from '@nestjs/common';
import type { DynamicModule, MiddlewareConsumer, NestModule, OnApplicationBootstrap, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { Server } from 'node:http';
import { DiscoveryModule } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { ConnectionDraining, ConnectionDrainingMiddleware } from './connection-draining';
import { HealthController } from './health.controller';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import { loggerParams } from './logger.config';
import { MetricsController } from './metrics.controller';
import { metricsServerPort, startMetricsServer } from './metrics.server';
import { collectProcessMetrics, metricsRegistry } from './metrics.registry';
import { OBSERVABILITY_OPTIONS, withEnvDefaults } from './observability.options';
import type { ObservabilityOptions, ResolvedObservabilityOptions } from './observability.options';
import { ReadinessService, STATIC_READINESS_CHECKS } from './readiness.service';
import { shutdownTelemetry } from './telemetry.sdk';

@Injectable()
export class ObservabilityLifecycle implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private metricsServer?: Server;
  private readonly logger = new Logger('Metrics');

  constructor(@Inject(OBSERVABILITY_OPTIONS) private readonly options: ResolvedObservabilityOptions) {}

  onModuleInit(): void {
    metricsRegistry.setDefaultLabels({ service: this.options.serviceName });
    collectProcessMetrics();
  }

  async onApplicationBootstrap(): Promise<void> {
    const { metrics } = this.options;
    if (metrics.port !== undefined) {
      this.metricsServer = await startMetricsServer(metrics.port, process.env['HOST'] ?? '0.0.0.0', metrics.token);
      this.logger.log(`metrics on port ${metricsServerPort(this.metricsServer)}${metrics.token ? ' (token required)' : ''}`);
    } else if (metrics.mainPort === 'off') {
      this.logger.warn('/metrics is not served: set METRICS_PORT (a port of its own) or METRICS_TOKEN in production');
    }
  }

  /** The port of the metrics listener, when `METRICS_PORT` started one (0 picks a free port). */
  metricsPort(): number | undefined {
    return this.metricsServer ? metricsServerPort(this.metricsServer) : undefined;
  }

  /** Last spans out before the process exits; a no-op when telemetry was never started. */
  async onApplicationShutdown(): Promise<void> {
    const server = this.metricsServer;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    await shutdownTelemetry();
  }
}

/**
 * `ObservabilityModule.forRoot({ serviceName })` once in each service's app module: pino JSON
 * logs (use with `bufferLogs` + `app.useLogger(app.get(Logger))`, which `bootstrapService`
 * does), `GET /metrics`, `GET /health/live`, `GET /health/ready`.
 */
@Module({})
export class ObservabilityModule implements NestModule {
  static forRoot(options: ObservabilityOptions): DynamicModule {
    const resolved = withEnvDefaults(options);
    return {
      module: ObservabilityModule,
      global: true,
      imports: [
        LoggerModule.forRoot(loggerParams(resolved)),
        TerminusModule.forRoot({ errorLogStyle: 'json', gracefulShutdownTimeoutMs: resolved.shutdownDelayMs }),
        DiscoveryModule,
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: OBSERVABILITY_OPTIONS, useValue: resolved },
        { provide: STATIC_READINESS_CHECKS, useValue: resolved.readinessChecks ?? [] },
        ReadinessService,
        ObservabilityLifecycle,
        ConnectionDraining,
      ],
      exports: [ReadinessService, OBSERVABILITY_OPTIONS, ObservabilityLifecycle],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(HttpMetricsMiddleware, ConnectionDrainingMiddleware)
      .forRoutes({ path: '{*splat}', method: RequestMethod.ALL });
  }
}
