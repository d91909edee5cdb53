import { Inject, Injectable } from '@nestjs/common';
import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import type { Pool, PoolClient } from 'pg';
import { MAX_REPORTED_COST_ENTRIES, TOPICS, dlqTopic, parseEventData } from '@pm/contracts';
import { minorUnitDigits, recordCostIncurred, recordLevellingProposal, recordTimesheetLines } from '@pm/planning/data-access';
import type { ActualCostRow } from '@pm/planning/data-access';
import { projectAggregate, projectStreamId, scheduleAggregate, scheduleStreamId, toProjectId, toTaskId } from '@pm/planning/domain';
import { PG_POOL, WritePath } from '@pm/platform/event-store';
import { EventConsumer, KAFKA } from '@pm/platform/messaging';
import { nestLogger } from '@pm/platform/observability';
import type { ConsumedEvent } from '@pm/platform/messaging';
import { fromCloudEvent } from '@pm/platform/projections';
import { systemContext } from '@pm/platform/request-context';
import type { RequestContext } from '@pm/platform/request-context';
import { commandMetadata } from '../schedule/schedule-http';

export const PLANNING_SERVICE = 'planning-service';
export const PLANNING_CONSUMER_OPTIONS = Symbol('PLANNING_CONSUMER_OPTIONS');

export interface PlanningConsumerOptions {
  /** Kafka consumer group and inbox name: the service name, unless a separate instance (a test) needs its own. */
  readonly consumerGroupId: string;
}

/**
 * What planning keeps from the resource context: approved timesheets' priced lines (to split a timesheet's cost
 * per task) and every CostIncurred (actual cost for earned value, ADR 0106); levelling proposals (ADR 0107). Each message is handled
 * in one transaction with its inbox row, so a redelivery changes nothing. A cost newly recorded in the project's
 * currency is also recorded on the project's schedule (ActualCostsReported, on the write path in the same
 * transaction), so the earned value planning publishes counts it (ADR 0303).
 */
export function resourceEventHandler(writePath: WritePath): (event: ConsumedEvent, tx: PoolClient) => Promise<void> {
  return async (event, tx) => {
    const e = fromCloudEvent(event.envelope);
    switch (e.type) {
      case 'pm.resource.TimesheetApproved':
        return recordTimesheetLines(tx, e.tenantId, parseEventData('pm.resource.TimesheetApproved', e.schemaVersion, e.data).data);
      case 'pm.resource.CostIncurred': {
        const cost = parseEventData('pm.resource.CostIncurred', e.schemaVersion, e.data).data;
        const recorded = await recordCostIncurred(tx, e.tenantId, cost);
        if (recorded.length > 0) await reportOnSchedule(writePath, tx, systemContext(PLANNING_SERVICE, e.tenantId, e), cost.projectId, cost.costId, recorded);
        return;
      }
      case 'pm.resource.LevellingProposed':
        return recordLevellingProposal(tx, e.tenantId, parseEventData('pm.resource.LevellingProposed', e.schemaVersion, e.data).data);
      default:
        return;
    }
  };
}

/**
 * The cost on the project's schedule stream, when the project exists, its schedule is open and the cost is in the
 * project's currency (no exchange rates here: another currency stays in `GET …/evm`'s unconverted costs). A cost
 * reported before the schedule was opened stays in the table only (ADR 0106).
 */
async function reportOnSchedule(writePath: WritePath, tx: PoolClient, ctx: RequestContext, projectId: string, costId: string, recorded: readonly ActualCostRow[]): Promise<void> {
  const tenantId = ctx.principal.tenantId;
  await writePath.runIn(tx, ctx, async (plan) => {
    const { state: project } = await plan.load(projectAggregate, projectStreamId(tenantId, projectId));
    if (project.status === 'not-created') return;
    const currency = project.project.profile.currency;
    const entries = recorded.filter((r) => r.currency === currency).map((r) => ({ taskId: r.taskId === null ? null : toTaskId(r.taskId), date: r.incurredOn, amountMinor: r.amountMinor }));
    const schedule = scheduleStreamId(tenantId, projectId);
    const { state } = await plan.load(scheduleAggregate, schedule);
    if (entries.length === 0 || state.status !== 'open') return;
    for (let i = 0; i < entries.length; i += MAX_REPORTED_COST_ENTRIES) {
      const part = entries.length > MAX_REPORTED_COST_ENTRIES ? `${costId}#${i / MAX_REPORTED_COST_ENTRIES}` : costId;
      await plan.decide(scheduleAggregate, schedule, {
        type: 'RecordReportedActualCosts',
        data: { projectId: toProjectId(projectId), costId: part, currency, minorUnitDigits: minorUnitDigits(currency), entries: entries.slice(i, i + MAX_REPORTED_COST_ENTRIES) },
        metadata: commandMetadata(ctx),
      });
    }
  });
}

@Injectable()
export class ResourceCostsConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly consumer: EventConsumer;

  constructor(@Inject(KAFKA) kafka: Kafka, @Inject(PG_POOL) pool: Pool, @Inject(PLANNING_CONSUMER_OPTIONS) options: PlanningConsumerOptions, writePath: WritePath) {
    this.consumer = new EventConsumer({
      kafka,
      groupId: options.consumerGroupId,
      topics: [TOPICS.resource],
      pool,
      dlqTopic: dlqTopic(PLANNING_SERVICE),
      dlqProducer: kafka.producer({ idempotent: true, maxInFlightRequests: 1 }),
      logger: nestLogger('ResourceCostsConsumer'),
      handler: resourceEventHandler(writePath),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }
}
