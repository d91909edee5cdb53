import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@pm/platform/auth';
import { PROBLEM_CODES, ProblemException } from '@pm/platform/http';
import { hasMetricsToken } from './metrics-exposure';
import { metricsRegistry } from './metrics.registry';
import { OBSERVABILITY_OPTIONS } from './observability.options';
import type { ResolvedObservabilityOptions } from './observability.options';

/**
 * Prometheus scrape endpoint on the main port, kept out of the API document. No user token: it is open outside
 * production, behind `METRICS_TOKEN`, or absent (404) when metrics have a port of their own or in production
 * without a token (see {@link resolveMetricsExposure}).
 */
@Public()
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(OBSERVABILITY_OPTIONS) private readonly options: ResolvedObservabilityOptions) {}

  @Get()
  async scrape(@Headers('authorization') authorization: string | undefined, @Res({ passthrough: true }) response: ServerResponse): Promise<string> {
    const { metrics } = this.options;
    if (metrics.mainPort === 'off') {
      throw new ProblemException({ status: 404, code: PROBLEM_CODES.notFound, detail: 'No route GET /metrics.' });
    }
    if (metrics.mainPort === 'token' && !hasMetricsToken(authorization, metrics.token ?? '')) throw metricsTokenRequired();
    response.setHeader('Content-Type', metricsRegistry.contentType);
    return metricsRegistry.metrics();
  }
}

export function metricsTokenRequired(): ProblemException {
  return new ProblemException({
    status: 401,
    code: 'METRICS_TOKEN_REQUIRED',
    title: 'Metrics token required',
    detail: 'Scraping /metrics needs "Authorization: Bearer <METRICS_TOKEN>".',
    headers: { 'WWW-Authenticate': 'Bearer realm="metrics"' },
  });
}
