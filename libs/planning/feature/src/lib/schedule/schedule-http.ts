import type { CommandBus } from '@nestjs/cqrs';
import { toProjectId } from '@pm/planning/domain';
import type { CommandMetadata, ProjectId, ScheduleCommand } from '@pm/planning/domain';
import type { Principal } from '@pm/platform/auth';
import { requestContext } from '@pm/platform/request-context';
import type { RequestContext } from '@pm/platform/request-context';
import { ChangeScheduleCommand } from './change-schedule.handler';
import type { ScheduleChangeResult } from './change-schedule.handler';

/** The slice of the HTTP response a handler may touch (headers); the body is the return value. */
export interface HeaderWriter {
  setHeader(name: string, value: string): unknown;
}

export interface TraceHeaders {
  readonly 'x-correlation-id'?: string;
  readonly traceparent?: string;
}

export interface ScheduleChangeResponse {
  readonly projectId: string;
  readonly version: number;
  /** The schedule events the request decided (empty when it changed nothing). */
  readonly changes: ReadonlyArray<{ type: string; data: unknown }>;
  /** What the critical-path recalculation published: moved tasks and the project result. */
  readonly calculation: ReadonlyArray<{ type: string; data: unknown }>;
}

/** The command context of one request: who, when, correlation and trace. */
export const contextOf = (principal: Principal, headers: TraceHeaders): RequestContext =>
  requestContext(principal, { correlationId: headers['x-correlation-id'], traceparent: headers.traceparent });

/** What every domain command of a request carries besides its data. */
export const commandMetadata = (ctx: RequestContext): CommandMetadata => ({ now: ctx.now, actor: ctx.principal.actor, tenantId: ctx.principal.tenantId });

/** The schedule commands one request stands for, written as typed literals by the controller. */
export type ScheduleCommands = (metadata: CommandMetadata, projectId: ProjectId) => ScheduleCommand[];

/** Decides the request's commands on the project's schedule as one change, concluded by one recalculation. */
export async function changeSchedule(
  bus: CommandBus,
  projectId: string,
  principal: Principal,
  headers: TraceHeaders,
  res: HeaderWriter,
  commands: ScheduleCommands,
): Promise<ScheduleChangeResponse> {
  const ctx = contextOf(principal, headers);
  const result = await bus.execute<ChangeScheduleCommand, ScheduleChangeResult>(new ChangeScheduleCommand(projectId, ctx, commands(commandMetadata(ctx), toProjectId(projectId))));
  res.setHeader('ETag', `"${result.version}"`);
  return { projectId, version: result.version, changes: result.changes, calculation: result.calculation };
}
