import { Controller, Delete, Get, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AnyRole, Roles } from '@pm/platform/auth';
import { ZodBody, ZodParam } from '@pm/platform/http';
import { JobAlreadyActive, JobNotFound, JobStore, jobLocation, jobResourceOpenApiSchema, toJobProblem, toJobResource } from '@pm/platform/jobs';
import type { Job, JobResource } from '@pm/platform/jobs';
import type { JsonValue } from '@pm/platform/scheduler';
import { ApiSuccessBody } from '@pm/platform/http';
import { CommandCtx } from '../shared/command-context';
import type { RequestContext } from '../shared/request-context';
import { uuidParam } from '../shared/request-schemas';
import { SCHEDULE_RISK_JOB, seedOf } from './schedule-risk.job';
import type { SimulationPayload } from './schedule-risk.job';
import { MAX_SIMULATION_ITERATIONS, simulationRequest } from './simulation.requests';
import type { SimulationRequest } from './simulation.requests';

const SIMULATIONS = (projectId: string) => `/projects/${projectId}/schedule-risk/simulations`;

interface HeaderWriter {
  setHeader(name: string, value: string): unknown;
}

/** Monte Carlo schedule-risk analysis of the plan the risk service keeps from planning's events (ADR 0300, 0304). */
@ApiTags('schedule risk')
@ApiBearerAuth()
@Controller('projects/:projectId/schedule-risk/simulations')
export class ScheduleRiskController {
  constructor(private readonly jobs: JobStore) {}

  @Post()
  @HttpCode(202)
  @Roles('pmo-admin', 'project-manager')
  @ApiOperation({
    summary: 'Run a Monte Carlo schedule-risk simulation of the project’s plan as a job (202; GET the job for its progress and result)',
    description: `Iterations 1–${MAX_SIMULATION_ITERATIONS}. One simulation per project at a time (409 JOB_ALREADY_ACTIVE); a tenant's queue is bounded (429 with Retry-After). The result: finish date and cost percentiles (10, 50, 80, 90, 95), the probability of meeting the target date, histograms with cumulative shares, the criticality index of the 200 most critical tasks, and the tornado (the 20 largest rank correlations with the finish). With includeRegisterRisks, the register's open threats linked to tasks run as risk events (ADR 0305), listed under registerRisks (used, skipped). Publishes pm.risk.ScheduleRiskSimulated.`,
  })
  @ApiSuccessBody(jobResourceOpenApiSchema())
  async simulate(
    @ZodParam('projectId', uuidParam) projectId: string,
    @ZodBody(simulationRequest) body: SimulationRequest,
    @CommandCtx() ctx: RequestContext,
    @Res({ passthrough: true }) res: HeaderWriter,
  ): Promise<JobResource> {
    const tenantId = ctx.principal.tenantId;
    const payload: SimulationPayload = {
      projectId,
      request: { ...body, seed: seedOf(body) },
      actor: ctx.principal.actor,
      correlationId: ctx.correlationId,
      traceparent: ctx.traceparent ?? null,
    };
    try {
      const [latest] = await this.jobs.list(tenantId, { kind: SCHEDULE_RISK_JOB, concurrencyKey: projectId, limit: 1 });
      if (latest && (latest.state === 'queued' || latest.state === 'running')) throw new JobAlreadyActive(tenantId, SCHEDULE_RISK_JOB, projectId, latest.id);
      const job = await this.jobs.submit({ tenantId, kind: SCHEDULE_RISK_JOB, concurrencyKey: projectId, payload: JSON.parse(JSON.stringify(payload)) as JsonValue, requestedBy: ctx.principal.actor });
      res.setHeader('Location', jobLocation(SIMULATIONS(projectId), job));
      return toJobResource(job);
    } catch (error) {
      throw toJobProblem(error) ?? error;
    }
  }

  @Get(':jobId')
  @AnyRole()
  @ApiOperation({ summary: 'A simulation job: state, progress (iterations), and once it succeeded the result' })
  @ApiSuccessBody(jobResourceOpenApiSchema())
  async get(@ZodParam('projectId', uuidParam) projectId: string, @ZodParam('jobId', uuidParam) jobId: string, @CommandCtx() ctx: RequestContext): Promise<JobResource> {
    return toJobResource(await this.ofProject(ctx.principal.tenantId, projectId, jobId));
  }

  @Delete(':jobId')
  @Roles('pmo-admin', 'project-manager')
  @ApiOperation({ summary: 'Cancel a queued or running simulation (409 JOB_ALREADY_FINISHED once it ended); the run stops at its next block' })
  @ApiSuccessBody(jobResourceOpenApiSchema())
  async cancel(@ZodParam('projectId', uuidParam) projectId: string, @ZodParam('jobId', uuidParam) jobId: string, @CommandCtx() ctx: RequestContext): Promise<JobResource> {
    const tenantId = ctx.principal.tenantId;
    await this.ofProject(tenantId, projectId, jobId);
    try {
      return toJobResource(await this.jobs.cancel(tenantId, jobId));
    } catch (error) {
      throw toJobProblem(error) ?? error;
    }
  }

  /** Another project's (or tenant's) job is not found, like anything else that is not this project's. */
  private async ofProject(tenantId: string, projectId: string, jobId: string): Promise<Job> {
    const job = await this.jobs.get(tenantId, jobId);
    if (!job || job.kind !== SCHEDULE_RISK_JOB || job.concurrencyKey !== projectId) throw toJobProblem(new JobNotFound(jobId)) ?? new JobNotFound(jobId);
    return job;
  }
}
