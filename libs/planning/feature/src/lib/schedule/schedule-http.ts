import type { CommandBus } from '@nestjs/cqrs';
import { toProjectId } from '@pm/planning/domain';
import type { ScheduleCommand } from '@pm/planning/domain';
import type { Principal } from '@pm/platform/auth';
import { requestContext } from '../projects/request-context';
import { ChangeScheduleCommand } from './change-schedule.handler';
import type { SchedulePlan, ScheduleChangeResult } from './change-schedule.handler';

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

type CommandOfType<T extends ScheduleCommand['type']> = Extract<ScheduleCommand, { type: T }>;
export type ScheduleCommandBuilder = (metadata: ScheduleCommand['metadata']) => ScheduleCommand;

/** Builds a schedule command for the project: the handler supplies metadata, the request the rest. */
export const scheduleCommand =
  <T extends ScheduleCommand['type']>(type: T, projectId: string, data: Omit<CommandOfType<T>['data'], 'projectId'>): ScheduleCommandBuilder =>
  (metadata) =>
    // The pairing of `type` and `data` is checked by the signature; TypeScript cannot carry it through the spread.
    ({ type, data: { ...data, projectId: toProjectId(projectId) }, metadata }) as unknown as ScheduleCommand;

export async function changeSchedule(
  commands: CommandBus,
  projectId: string,
  principal: Principal,
  headers: TraceHeaders,
  res: HeaderWriter,
  plan: SchedulePlan,
): Promise<ScheduleChangeResponse> {
  const ctx = requestContext(principal, { correlationId: headers['x-correlation-id'], traceparent: headers.traceparent });
  const result = await commands.execute<ChangeScheduleCommand, ScheduleChangeResult>(new ChangeScheduleCommand(projectId, ctx, plan));
  res.setHeader('ETag', `"${result.version}"`);
  return { projectId, version: result.version, changes: result.changes, calculation: result.calculation };
}

/** The common case: a fixed list of commands, whatever the state. */
export const fixedPlan =
  (...builders: ScheduleCommandBuilder[]): SchedulePlan =>
  (_state, metadata) =>
    builders.map((build) => build(metadata));
