import { randomInt } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL, WritePath } from '@pm/platform/event-store';
import { JobFailure, JobRunner } from '@pm/platform/jobs';
import type { JobContext } from '@pm/platform/jobs';
import type { JsonValue } from '@pm/platform/scheduler';
import { systemContext } from '@pm/platform/request-context';
import { RegisterRiskQueries, RiskPlanQueries } from '@pm/risk/data-access';
import type { RiskPlan } from '@pm/risk/data-access';
import { registerRiskEvents, scheduleRiskAggregate, scheduleRiskSettingsAggregate, scheduleRiskSettingsStreamId, scheduleRiskStreamId } from '@pm/risk/domain';
import type { RegisterRiskEvents, RiskEvent, SimulationInput, SimulationResult } from '@pm/risk/domain';
import { DomainError } from '@pm/shared/ddd';
import { projectInPlan } from '../shared/inline-projection';
import { commandMetadata } from '../shared/request-context';
import { RISK_SERVICE } from '../shared/risk-options';
import { SimulationPool } from '@pm/risk/simulation-runner';
import { boundedResult, summaryOf } from './simulation.result';
import type { BoundedSimulationResult } from './simulation.result';
import type { SimulationRequest } from './simulation.requests';

export const SCHEDULE_RISK_JOB = 'risk.schedule-risk-simulation';

/** What the job keeps of the request: the run's settings and who asked, to record the run in their name. */
export interface SimulationPayload {
  readonly projectId: string;
  readonly request: SimulationRequest & { readonly seed: number };
  readonly actor: string;
  readonly correlationId: string;
  readonly traceparent: string | null;
}

export const seedOf = (request: SimulationRequest): number => request.seed ?? randomInt(0, 2 ** 31 - 1);

/**
 * Runs a Monte Carlo simulation of a project's plan copy on the worker-thread pool (every core, ADR 0300), reports
 * progress by iterations, records the summary on the project's schedule-risk stream (ScheduleRiskSimulated; the
 * exposure takes its P80 in the same transaction) and keeps the bounded result on the job.
 */
@Injectable()
export class ScheduleRiskJob implements OnModuleInit {
  private readonly plans: RiskPlanQueries;
  private readonly register: RegisterRiskQueries;

  constructor(
    private readonly runner: JobRunner,
    private readonly pool: SimulationPool,
    private readonly writePath: WritePath,
    @Inject(PG_POOL) pg: Pool,
  ) {
    this.plans = new RiskPlanQueries(pg);
    this.register = new RegisterRiskQueries(pg);
  }

  onModuleInit(): void {
    // The payload and result are plain JSON (the request was parsed into JSON values); the runner types them as such.
    this.runner.register(SCHEDULE_RISK_JOB, async (ctx) => (await this.run(ctx)) as unknown as JsonValue);
  }

  /** The register's linked open threats (ADR 0305), when asked for, as of the run's start. */
  private async registerRisks(tenantId: string, projectId: string, plan: RiskPlan, request: SimulationRequest): Promise<RegisterRiskEvents | null> {
    if (!request.includeRegisterRisks) return null;
    const risks = await this.register.linkedOpenThreats(tenantId, projectId);
    return registerRiskEvents(risks, new Set(plan.tasks.map((t) => t.id)), request.costCurrency ?? null);
  }

  async run(ctx: JobContext): Promise<BoundedSimulationResult & { registerRisks: Omit<RegisterRiskEvents, 'riskEvents'> | null }> {
    const payload = ctx.payload as unknown as SimulationPayload;
    const { projectId, request } = payload;
    const plan = await this.plans.plan(ctx.tenantId, projectId);
    if (plan === null || plan.tasks.length === 0) throw new JobFailure('SCHEDULE_NOT_AVAILABLE', 'The risk service has no plan of this project (yet): no schedule events from planning reached it');
    const { state: settings } = await this.writePath.load(scheduleRiskSettingsAggregate, scheduleRiskSettingsStreamId(ctx.tenantId), ctx.tenantId);
    const register = await this.registerRisks(ctx.tenantId, projectId, plan, request);
    const riskEvents: RiskEvent[] = [...(request.includeRiskEvents ? request.riskEvents : []), ...(register?.riskEvents ?? [])];
    const input: SimulationInput = {
      ...plan,
      defaultSpread: settings.spread,
      iterations: request.iterations,
      seed: request.seed,
      ...(request.targetDate ? { targetDate: request.targetDate } : {}),
      ...(request.correlation ? { correlations: request.correlation } : {}),
      ...(riskEvents.length > 0 ? { riskEvents } : {}),
    };
    let result: SimulationResult;
    try {
      result = await this.pool.run(input, { signal: ctx.signal, onProgress: (done, total) => ctx.reportProgress({ done, total, counters: { iterations: done } }) });
    } catch (error) {
      if (error instanceof DomainError) throw new JobFailure(error.code, error.message);
      throw error;
    }
    await this.record(ctx, payload, result, plan.statusDate ?? null, plan.tasks.length);
    return { ...boundedResult(result), registerRisks: register === null ? null : { used: register.used, skipped: register.skipped } };
  }

  private async record(ctx: JobContext, payload: SimulationPayload, result: SimulationResult, statusDate: string | null, tasks: number): Promise<void> {
    const { projectId, request, actor, correlationId, traceparent } = payload;
    // The run continues the request's trace; the job is its cause.
    const base = systemContext(RISK_SERVICE, ctx.tenantId, { eventId: ctx.jobId, correlationId, traceparent });
    const wctx = { ...base, principal: { ...base.principal, actor } };
    const stream = scheduleRiskStreamId(ctx.tenantId, projectId);
    const data = summaryOf(projectId, ctx.jobId, result, { statusDate, tasks, targetDate: request.targetDate ?? null });
    await this.writePath.run(wctx, async (tx) => {
      const { version } = await tx.load(scheduleRiskAggregate, stream);
      const { events } = await tx.decide(scheduleRiskAggregate, stream, { type: 'RecordScheduleRiskSimulation', data, metadata: commandMetadata(wctx) });
      projectInPlan(tx, stream, version, events);
    });
  }
}
