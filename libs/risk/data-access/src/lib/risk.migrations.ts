import { EVENT_STORE_MIGRATIONS } from '@pm/platform/event-store';
import { JOBS_MIGRATIONS } from '@pm/platform/jobs';
import { MESSAGING_MIGRATIONS } from '@pm/platform/messaging';
import { PROJECTION_MIGRATIONS } from '@pm/platform/projections';
import { SCHEDULER_MIGRATIONS } from '@pm/platform/scheduler';
import { AutomaticRiskSchema1764900000000 } from './automatic/automatic-risk.schema';
import { RiskTenantCalendarSchema1765000000000 } from './due/tenant-calendar.schema';
import { RiskExposureSchema1764600000000 } from './exposure/risk-exposure.schema';
import { RiskMoneySchema1765000000001 } from './exposure/risk-money.schema';
import { RiskPlanSchema1764600000001 } from './plan/risk-plan.schema';
import { RiskReadModelSchema1764400000000 } from './risk-read-model.schema';
import { RiskScheduleImpactSchema1765100000000 } from './schedule-impact/risk-schedule-impact.schema';

/** Everything the risk database needs, in order: the store, relay and inbox, projections, due items, read models. */
export const RISK_MIGRATIONS = [...EVENT_STORE_MIGRATIONS, ...MESSAGING_MIGRATIONS, ...PROJECTION_MIGRATIONS, ...SCHEDULER_MIGRATIONS, RiskReadModelSchema1764400000000, RiskExposureSchema1764600000000, RiskPlanSchema1764600000001, ...JOBS_MIGRATIONS, AutomaticRiskSchema1764900000000, RiskTenantCalendarSchema1765000000000, RiskMoneySchema1765000000001, RiskScheduleImpactSchema1765100000000];
