import { IdempotencyKeys1765200000000 } from '@pm/platform/event-store';
import { MESSAGING_MIGRATIONS } from '@pm/platform/messaging';
import { PROJECTION_MIGRATIONS } from '@pm/platform/projections';
import { PortfolioScheduleProgress1764900500000 } from './portfolio-curves.schema';
import { PortfolioHeatMapsSchema1765100000000 } from './portfolio-heat-maps.schema';
import { FreshnessSchema1764950000000 } from './freshness.schema';
import { PortfolioSchema1764800000000 } from './portfolio.schema';
import { ProjectSummarySchema1764100001000 } from './project-summary.schema';

/** Reporting owns no events: only the inbox, checkpoints, its read models and the keys of its few commands (ADR 0013). */
export const REPORTING_MIGRATIONS = [
  ...MESSAGING_MIGRATIONS,
  ...PROJECTION_MIGRATIONS,
  ProjectSummarySchema1764100001000,
  PortfolioSchema1764800000000,
  PortfolioScheduleProgress1764900500000,
  FreshnessSchema1764950000000,
  PortfolioHeatMapsSchema1765100000000,
  IdempotencyKeys1765200000000,
];
