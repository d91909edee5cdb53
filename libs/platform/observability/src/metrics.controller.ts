import { Controller, Get, Res } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@pm/platform/auth';
import { metricsRegistry } from './metrics.registry';

/** Prometheus scrape endpoint; public like the probes, and kept out of the API document. */
@Public()
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  @Get()
  async scrape(@Res({ passthrough: true }) response: ServerResponse): Promise<string> {
    response.setHeader('Content-Type', metricsRegistry.contentType);
    return metricsRegistry.metrics();
  }
}
