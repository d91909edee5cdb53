import { createParamDecorator } from '@nestjs/common';
import type { ExecutionContext } from '@nestjs/common';
import type { CommandBus } from '@nestjs/cqrs';
import type { IncomingMessage } from 'node:http';
import { toProjectId } from '@pm/planning/domain';
import type { CommandMetadata, ProjectId, ScheduleCommand } from '@pm/planning/domain';
import { requirePrincipal } from '@pm/platform/auth';
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

/** Who asks, with which trace headers, and the response headers to answer on: what a schedule write needs of its request. */
export interface ScheduleCall {
  readonly principal: Principal;
  readonly headers: TraceHeaders;
  readonly res: HeaderWriter;
}

/** The {@link ScheduleCall} of the request, as one handler parameter. */
export const ScheduleCaller = createParamDecorator((_data: unknown, context: ExecutionContext): ScheduleCall => {
  const http = context.switchToHttp();
  const request = http.getRequest<IncomingMessage>();
  return { principal: requirePrincipal(request), headers: request.headers as TraceHeaders, res: http.getResponse<HeaderWriter>() };
});

/** The command context of one request: who, when, correlation and trace. */
export const contextOf = (principal: Principal, headers: TraceHeaders): RequestContext =>
  requestContext(principal, { correlationId: headers['x-correlation-id'], traceparent: headers.traceparent });

/** What every domain command of a request carries besides its data. */
export const commandMetadata = (ctx: RequestContext): CommandMetadata => ({ now: ctx.now, actor: ctx.principal.actor, tenantId: ctx.principal.tenantId });

/** The schedule commands one request stands for, written as typed literals by the controller. */
export type ScheduleCommands = (metadata: CommandMetadata, projectId: ProjectId) => ScheduleCommand[];

/** Decides the request's commands on the project's schedule as one change, concluded by one recalculation. */
export async function changeSchedule(bus: CommandBus, projectId: string, call: ScheduleCall, commands: ScheduleCommands): Promise<ScheduleChangeResponse> {
  const ctx = contextOf(call.principal, call.headers);
  const result = await bus.execute<ChangeScheduleCommand, ScheduleChangeResult>(new ChangeScheduleCommand(projectId, ctx, commands(commandMetadata(ctx), toProjectId(projectId))));
  call.res.setHeader('ETag', `"${result.version}"`);
  return { projectId, version: result.version, changes: result.changes, calculation: result.calculation };
}
