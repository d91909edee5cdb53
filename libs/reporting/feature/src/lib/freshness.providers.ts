import type { Provider, Type } from '@nestjs/common';
import { FreshnessController } from './freshness.controller';
import { HealthRulesController } from './health-rules.controller';
import { READ_YOUR_WRITES_OPTIONS, ReadYourWrites } from './read-your-writes';

/**
 * ADR 0503's pieces in one place, so the shared module list changes by one line: the report routes need
 * `ReadYourWrites`; a host without the consumer (specs) leaves out `FreshnessController`.
 */
export const readYourWritesProviders: Provider[] = [{ provide: READ_YOUR_WRITES_OPTIONS, useValue: {} }, ReadYourWrites];
export const freshnessProviders: Provider[] = [...readYourWritesProviders];
export const freshnessControllers: Type[] = [HealthRulesController, FreshnessController];
