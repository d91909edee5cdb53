import { randomUUID } from 'node:crypto';
import { Controller, Get, Headers, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { z } from 'zod';
import { discardImportInput, storeImportInput } from '@pm/planning/data-access';
import { PG_POOL } from '@pm/platform/event-store';
import { JobAlreadyActive, JobNotFound, JobStore, jobLocation, jobResourceOpenApiSchema, toJobProblem, toJobResource } from '@pm/platform/jobs';
import type { JobResource } from '@pm/platform/jobs';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { openedScheduleOf } from '@pm/planning/data-access';
import { DomainError } from '@pm/planning/domain';
import { writeMspdi } from '@pm/shared/interchange';
import { AnyRole, CurrentPrincipal, Roles } from '@pm/platform/auth';
import type { Principal } from '@pm/platform/auth';
import { ApiSuccessBody, ZodParam, extendRequestTimeout, xmlBodyStream } from '@pm/platform/http';
import type { RawBodyRequest } from '@pm/platform/http';
import { GetProjectQuery } from '../../projects/get-project.handler';
import type { ProjectView } from '../../projects/get-project.handler';
import { ProjectIdParam } from '../project-id.param';
import { ScheduleViewRunner } from '../read/schedule-view.runner';
import { contextOf } from '../schedule-http';
import type { HeaderWriter, TraceHeaders } from '../schedule-http';
import { IMPORT_OPTIONS, SCHEDULE_IMPORT_JOB } from './import/import.options';
import type { ImportOptions, ScheduleImportPayload } from './import/import.options';
import { toMspdiProject } from './mspdi-export.mapper';

const IMPORTS = (projectId: string) => `/projects/${projectId}/schedule/imports`;
const JobIdParam = (): ParameterDecorator => ZodParam('jobId', z.uuid());

@ApiTags('schedule')
@ApiBearerAuth()
@Controller('projects/:projectId/schedule')
export class ScheduleInterchangeController {
  constructor(
    private readonly queries: QueryBus,
    private readonly views: ScheduleViewRunner,
    private readonly jobs: JobStore,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(IMPORT_OPTIONS) private readonly options: ImportOptions,
  ) {}

  /**
   * The upload streams into the database as it arrives (never whole in memory) and a job imports it: 202 with the
   * job, whose resource shows its progress. One import per project at a time (409 JOB_ALREADY_ACTIVE); a tenant's
   * queue is bounded (429 with Retry-After).
   */
  @Post('import')
  @HttpCode(202)
  @Roles('pmo-admin', 'project-manager')
  @ApiConsumes('application/xml')
  @ApiOperation({
    summary: 'Import a Microsoft Project XML (MSPDI) file into an empty schedule, as a job (202; GET the job for its progress)',
    description:
      'Limits (configurable): the body (MSPDI_BODY_LIMIT, 413 beyond it, default 96 MiB: 400,000 tasks are about 70 MB; the upload may take HTTP_UPLOAD_TIMEOUT_MS, default 10 min, instead of the 30 s request timeout), tasks (IMPORT_MAX_TASKS, default 400,000: the job fails with MSPDI_TOO_MANY_TASKS), XML depth, elements, attributes and text length (the job fails with MSPDI_LIMIT_EXCEEDED). The schedule changes only when the whole import is committed (one ScheduleImported event).',
  })
  @ApiSuccessBody(jobResourceOpenApiSchema())
  async import(@ProjectIdParam() projectId: string, @Req() req: RawBodyRequest, @CurrentPrincipal() principal: Principal, @Headers() headers: TraceHeaders, @Res({ passthrough: true }) res: HeaderWriter): Promise<JobResource> {
    // Up to MSPDI_BODY_LIMIT streams in here: the upload gets HTTP_UPLOAD_TIMEOUT_MS, not the short request deadline.
    extendRequestTimeout(req);
    await this.queries.execute<GetProjectQuery, ProjectView>(new GetProjectQuery(principal.tenantId, projectId));
    const tenantId = principal.tenantId;
    // Refused before anything is read when one is already running for the project (the submit below re-checks).
    const [latest] = await this.jobs.list(tenantId, { kind: SCHEDULE_IMPORT_JOB, concurrencyKey: projectId, limit: 1 });
    if (latest && (latest.state === 'queued' || latest.state === 'running')) throw new JobAlreadyActive(tenantId, SCHEDULE_IMPORT_JOB, projectId, latest.id);
    const importId = randomUUID();
    const bytes = await storeImportInput(this.pool, tenantId, importId, xmlBodyStream(req, this.options.maxBytes));
    const ctx = contextOf(principal, headers);
    const payload: ScheduleImportPayload = {
      importId,
      projectId,
      bytes,
      submittedAt: ctx.now,
      commandId: ctx.commandId,
      correlationId: ctx.correlationId,
      traceparent: ctx.traceparent,
      requestedBy: { sub: principal.sub, actor: principal.actor },
    };
    try {
      const job = await this.jobs.submit({ tenantId, kind: SCHEDULE_IMPORT_JOB, concurrencyKey: projectId, payload, requestedBy: principal.actor });
      res.setHeader('Location', jobLocation(IMPORTS(projectId), job));
      return toJobResource(job);
    } catch (error) {
      await discardImportInput(this.pool, importId);
      throw toJobProblem(error) ?? error;
    }
  }

  @Get('imports/:jobId')
  @Roles('pmo-admin', 'project-manager', 'resource-manager', 'team-member', 'viewer')
  @ApiOperation({ summary: 'An import job: state, tasks read, tasks stored, events staged, errors, progress' })
  @ApiSuccessBody(jobResourceOpenApiSchema())
  async importJob(@ProjectIdParam() projectId: string, @JobIdParam() jobId: string, @CurrentPrincipal() principal: Principal): Promise<JobResource> {
    const job = await this.jobs.get(principal.tenantId, jobId);
    // Another project's (or tenant's) job is not found, like anything else that is not this project's.
    if (!job || job.kind !== SCHEDULE_IMPORT_JOB || job.concurrencyKey !== projectId) throw toJobProblem(new JobNotFound(jobId)) ?? new JobNotFound(jobId);
    return toJobResource(job);
  }

  @Get('export')
  @AnyRole()
  @ApiProduces('application/xml')
  @ApiOperation({ summary: 'The schedule as Microsoft Project XML (MSPDI), for Microsoft Project and ProjectLibre' })
  async export(@ProjectIdParam() projectId: string, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) res: HeaderWriter): Promise<string> {
    const project = await this.queries.execute<GetProjectQuery, ProjectView>(new GetProjectQuery(principal.tenantId, projectId));
    const stored = await this.views.current(principal.tenantId, projectId);
    if (!stored) throw new DomainError('SCHEDULE_NOT_OPEN', 'not-found', `Project ${projectId} has no schedule`, { projectId });
    const state = openedScheduleOf(stored.state, projectId);
    const profile = project.state.project.profile;
    res.setHeader('Content-Type', 'application/xml; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${projectId}.xml"`);
    return writeMspdi(toMspdiProject(state, profile.name, profile.currency));
  }
}
