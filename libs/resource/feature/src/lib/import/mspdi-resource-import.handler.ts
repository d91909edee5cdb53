import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import type { MspdiProject } from '@pm/shared/interchange';
import { ResourceReadQueries } from '@pm/resource/data-access';
import { WritePath } from '@pm/platform/event-store';
import { assignmentAggregate, assignmentStreamId, isDomainError, resourceAggregate, resourceStreamId } from '@pm/resource/domain';
import type { AssignmentCommand, ResourceFacts, ResourceId } from '@pm/resource/domain';
import { ReadModelSync } from '../allocation/read-model.sync';
import { callerOf, commandMetadata } from '../shared/request-context';
import type { RequestContext } from '../shared/request-context';
import { planResourceImport } from './mspdi-resource-import.plan';
import type { PlannedAssignment, PlannedResource, Skipped } from './mspdi-resource-import.plan';

export class ImportMspdiResources {
  constructor(
    readonly project: MspdiProject,
    readonly importId: string,
    readonly projectId: string | null,
    readonly ctx: RequestContext,
  ) {}
}

export interface ImportedEntry {
  readonly uid: number;
  readonly id: string;
  readonly name?: string;
  /** `created`: registered now; `unchanged`: this import id registered it before (a re-import). */
  readonly outcome: 'created' | 'unchanged';
}

export interface Rejected {
  readonly uid: number;
  readonly code: string;
  readonly detail: string;
}

export interface ResourceImportResult {
  readonly importId: string;
  readonly resources: { readonly imported: ImportedEntry[]; readonly skipped: readonly Skipped[]; readonly rejected: Rejected[] };
  readonly rates: { scheduled: number };
  readonly availability: { set: number };
  readonly assignments: { readonly imported: ImportedEntry[]; readonly skipped: Skipped[]; readonly rejected: Rejected[] };
  readonly warnings: readonly string[];
}

/**
 * Runs an import plan command by command through the same deciders as the API, so every rule applies to
 * imported data too. Not one transaction: each stream is decided on its own, and a re-run under the same import
 * id finishes a half-done import without duplicating anything (registrations and rate rows are no-ops then).
 */
@CommandHandler(ImportMspdiResources)
export class ImportMspdiResourcesHandler implements ICommandHandler<ImportMspdiResources, ResourceImportResult> {
  constructor(
    private readonly writePath: WritePath,
    private readonly reads: ResourceReadQueries,
    private readonly sync: ReadModelSync,
  ) {}

  async execute({ project, importId, projectId, ctx }: ImportMspdiResources): Promise<ResourceImportResult> {
    const plan = planResourceImport(project, {
      tenantId: ctx.principal.tenantId,
      importId,
      projectId,
      metadata: commandMetadata(ctx),
      caller: callerOf(ctx),
    });
    const result: ResourceImportResult = {
      importId,
      resources: { imported: [], skipped: plan.skippedResources, rejected: [] },
      rates: { scheduled: 0 },
      availability: { set: 0 },
      assignments: { imported: [], skipped: [...plan.skippedAssignments], rejected: [] },
      warnings: plan.warnings,
    };
    const registered = new Set<number>();
    for (const resource of plan.resources) {
      if (await this.importResource(resource, ctx, result)) registered.add(resource.uid);
    }
    for (const assignment of plan.assignments) {
      if (!registered.has(assignment.resourceUid)) {
        result.assignments.skipped.push({ uid: assignment.uid, reason: 'RESOURCE_NOT_IMPORTED', detail: `resource ${assignment.resourceUid} was rejected` });
        continue;
      }
      await this.importAssignment(assignment, projectId ?? '', ctx, result);
    }
    await this.sync.sync();
    return result;
  }

  /** True when the resource exists afterwards (registered now or before). */
  private async importResource(resource: PlannedResource, ctx: RequestContext, result: ResourceImportResult): Promise<boolean> {
    const tenantId = ctx.principal.tenantId;
    const streamId = resourceStreamId(tenantId, resource.resourceId);
    try {
      const { state } = await this.writePath.load(resourceAggregate, streamId, tenantId);
      const created = state.status === 'unregistered';
      if (created) await this.writePath.handle(ctx, resourceAggregate, streamId, resource.register);
      result.resources.imported.push({ uid: resource.uid, id: resource.resourceId, name: resource.name, outcome: created ? 'created' : 'unchanged' });
    } catch (error) {
      if (!isDomainError(error)) throw error;
      result.resources.rejected.push({ uid: resource.uid, code: error.code, detail: error.message });
      return false;
    }
    for (const command of resource.follow) {
      try {
        const { events } = await this.writePath.handle(ctx, resourceAggregate, streamId, command);
        if (events.some((e) => e.type === 'CostRateScheduled')) result.rates.scheduled++;
        if (events.some((e) => e.type === 'AvailabilitySet')) result.availability.set++;
      } catch (error) {
        if (!isDomainError(error)) throw error;
        result.resources.rejected.push({ uid: resource.uid, code: error.code, detail: `${command.type}: ${error.message}` });
      }
    }
    return true;
  }

  private async importAssignment(planned: PlannedAssignment, projectId: string, ctx: RequestContext, result: ResourceImportResult): Promise<void> {
    const tenantId = ctx.principal.tenantId;
    // Tasks come only from planning's events: one planning has not announced (yet) is reported, never invented.
    const task = await this.reads.task(tenantId, projectId, planned.taskId);
    if (!task) {
      result.assignments.skipped.push({ uid: planned.uid, reason: 'TASK_UNKNOWN', detail: `task ${planned.taskUid} (${planned.taskId}) of project ${projectId} is not known from planning's events` });
      return;
    }
    const streamId = assignmentStreamId(tenantId, planned.assignmentId);
    try {
      const { state } = await this.writePath.load(assignmentAggregate, streamId, tenantId);
      const command: AssignmentCommand = {
        type: 'AssignResource',
        data: {
          assignmentId: planned.assignmentId,
          resource: await this.resourceFacts(planned.resourceId, tenantId),
          task: { taskId: task.taskId, projectId: task.projectId },
          requestedTaskId: planned.taskId,
          load: planned.load,
        },
        metadata: commandMetadata(ctx),
      };
      await this.writePath.handle(ctx, assignmentAggregate, streamId, command);
      result.assignments.imported.push({ uid: planned.uid, id: planned.assignmentId, outcome: state.status === 'none' ? 'created' : 'unchanged' });
    } catch (error) {
      if (!isDomainError(error)) throw error;
      result.assignments.rejected.push({ uid: planned.uid, code: error.code, detail: error.message });
    }
  }

  private async resourceFacts(resourceId: ResourceId, tenantId: string): Promise<ResourceFacts | null> {
    const { state } = await this.writePath.load(resourceAggregate, resourceStreamId(tenantId, resourceId), tenantId);
    return state.status === 'registered' ? { resourceId, kind: state.resource.kind } : null;
  }
}
