import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Roles } from '@pm/platform/auth';
import { ApiSuccessBody, ProblemException, zodToOpenApi } from '@pm/platform/http';
import type { ConsumerFreshness } from '@pm/platform/messaging';
import { PortfolioProjectionsConsumer } from './portfolio-projections.consumer';

const offset = z.string().regex(/^\d+$/).describe('A Kafka offset (a decimal string: offsets are 64-bit)');
const freshnessView = z.object({
  groupId: z.string().describe('The reporting consumer group'),
  sampledAt: z.string().describe('When the broker was asked; a sample is reused for up to 2 s'),
  partitions: z.array(
    z.object({
      topic: z.string(),
      partition: z.number().int(),
      committedOffset: offset.nullable().describe("The group's committed offset (next to read); null before its first commit"),
      lowWatermark: offset,
      highWatermark: offset.describe('The offset of the next message produced'),
      lag: z.number().int().min(0).describe('Messages between the committed offset (or the log start) and the high watermark'),
      lastApplied: z
        .object({ offset, eventTime: z.string().nullable().describe('Recorded time (CloudEvents `time`) of that message’s event'), settledAt: z.string() })
        .nullable()
        .describe('The last message this replica settled on the partition since it started; null when it holds no such message'),
    }),
  ),
});

/**
 * How current the reporting read models are, for an operator (ADR 0503): per topic and partition the group's
 * committed offset, the high watermark, the lag and the last applied event. Offsets count every tenant's events, so
 * no tenant data is shown but the platform's volume is; hence PMO admins only.
 */
@ApiTags('operations')
@ApiBearerAuth()
@Controller('reporting/freshness')
export class FreshnessController {
  constructor(private readonly consumer: PortfolioProjectionsConsumer) {}

  @Get()
  @Roles('pmo-admin')
  @ApiOperation({ summary: 'Consumer lag of the reporting read models per topic and partition, and the last event applied on each' })
  @ApiOkResponse({ description: 'Lag per topic and partition (sampled from the broker, cached for up to 2 s)' })
  @ApiSuccessBody(zodToOpenApi(freshnessView))
  async freshness(): Promise<ConsumerFreshness> {
    try {
      return await this.consumer.freshness();
    } catch (error) {
      throw new ProblemException(
        { status: 503, code: 'KAFKA_UNAVAILABLE', detail: 'The broker did not answer for the consumer offsets; retry shortly.', headers: { 'Retry-After': '2' }, logAsError: false },
        { cause: error },
      );
    }
  }
}
