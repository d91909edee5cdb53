import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { HealthCheckResult } from '@nestjs/terminus';
import { Public } from '@pm/platform/auth';
import { ProblemException } from '@pm/platform/http';
import { OBSERVABILITY_OPTIONS } from './observability.options';
import type { ObservabilityOptions } from './observability.options';
import { ReadinessService } from './readiness.service';

export const DEFAULT_READINESS_TIMEOUT_MS = 2_000;

/**
 * Liveness says the process runs (restart me if not); readiness says its dependencies answer
 * (send me traffic). A failing readiness is a 503 problem naming the failing checks, with
 * Terminus' per-check details attached.
 */
@Public()
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(HealthIndicatorService) private readonly indicators: HealthIndicatorService,
    @Inject(ReadinessService) private readonly readiness: ReadinessService,
    @Inject(OBSERVABILITY_OPTIONS) private readonly options: ObservabilityOptions,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process runs (restart it if not)' })
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check([() => this.indicators.check('process').up({ uptimeSeconds: Math.round(process.uptime()) })]);
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: its dependencies answer (send it traffic); 503 NOT_READY or SHUTTING_DOWN otherwise' })
  @HealthCheck()
  async ready(): Promise<HealthCheckResult> {
    const timeoutMs = this.options.readinessTimeoutMs ?? DEFAULT_READINESS_TIMEOUT_MS;
    const attempts = this.readiness
      .checks()
      .map((readiness) => this.indicators.check(readiness.name).attempt(() => readiness.check()).withTimeout(timeoutMs));
    try {
      return await this.health.check(attempts);
    } catch (error) {
      if (error instanceof ServiceUnavailableException) throw notReady(error.getResponse() as HealthCheckResult);
      throw error;
    }
  }
}

function notReady(result: HealthCheckResult): ProblemException {
  const shuttingDown = result.status === 'shutting_down';
  const failing = Object.keys(result.error ?? {});
  return new ProblemException({
    status: 503,
    code: shuttingDown ? 'SHUTTING_DOWN' : 'NOT_READY',
    title: shuttingDown ? 'Shutting down' : 'Not ready',
    detail: shuttingDown ? 'The service is shutting down.' : `Failing readiness checks: ${failing.join(', ')}.`,
    details: { ...result },
    // Terminus already logs failing checks; a probe every few seconds must not add an error each.
    logAsError: false,
  });
}
