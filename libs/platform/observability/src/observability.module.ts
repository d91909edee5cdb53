import { Inject, Injectable, Module, RequestMethod } from '@nestjs/common';
import type { DynamicModule, MiddlewareConsumer, NestModule, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { ConnectionDraining, ConnectionDrainingMiddleware } from './connection-draining';
import { HealthController } from './health.controller';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import { loggerParams } from './logger.config';
import { MetricsController } from './metrics.controller';
import { collectProcessMetrics, metricsRegistry } from './metrics.registry';
import { OBSERVABILITY_OPTIONS, withEnvDefaults } from './observability.options';
import type { ObservabilityOptions } from './observability.options';
import { ReadinessService, STATIC_READINESS_CHECKS } from './readiness.service';
import { shutdownTelemetry } from './telemetry.sdk';

@Injectable()
class ObservabilityLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(@Inject(OBSERVABILITY_OPTIONS) private readonly options: ObservabilityOptions) {}

  onModuleInit(): void {
    metricsRegistry.setDefaultLabels({ service: this.options.serviceName });
    collectProcessMetrics();
  }

  /** Last spans out before the process exits; a no-op when telemetry was never started. */
  async onApplicationShutdown(): Promise<void> {
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
      exports: [ReadinessService, OBSERVABILITY_OPTIONS],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(HttpMetricsMiddleware, ConnectionDrainingMiddleware)
      .forRoutes({ path: '{*splat}', method: RequestMethod.ALL });
  }
}
