import { Logger } from '@nestjs/common';
import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { PgIdempotencyRecords } from './pg-idempotency-records';

/** Deletes keys past their 24 h every quarter hour (claims also drop an expired row they meet). */
export class IdempotencySweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('IdempotencySweeper');
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly records: PgIdempotencyRecords,
    private readonly everyMs = 15 * 60_000,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), this.everyMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async sweep(): Promise<void> {
    try {
      const deleted = await this.records.sweepExpired();
      if (deleted) this.log.log(`deleted ${deleted} expired idempotency keys`);
    } catch (error) {
      this.log.warn({ err: (error as Error).message }, 'idempotency key sweep failed');
    }
  }
}
