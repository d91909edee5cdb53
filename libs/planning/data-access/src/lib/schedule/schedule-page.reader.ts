import { workingDayCounter } from '@pm/planning/domain';
import type { ScheduleView, ScheduleTaskView } from './schedule-view.builder';
import { pickFields, taskViewOf } from './schedule-page.builder';
import type { ScheduleTaskField } from './schedule-page.builder';
import type { ScheduleHeader, ScheduleRowsRepository } from './schedule-rows.repository';

export interface SchedulePageRequest {
  /** The WBS code of the last task of the previous page. */
  readonly after?: string;
  readonly limit?: number;
  readonly fields?: readonly ScheduleTaskField[];
}

export interface SchedulePage extends Omit<ScheduleView, 'tasks'> {
  readonly tasks: ReadonlyArray<Partial<ScheduleTaskView> & { taskId: string }>;
  /** Only on a paged read: `next` is the `after` of the next page, null on the last one. */
  readonly page?: { readonly limit: number | null; readonly after: string | null; readonly next: string | null };
}

/**
 * One page of the schedule in WBS order, read from its rows: the page's tasks, the roll-ups of the summaries on it
 * and, on a paged read, the links that touch it. Without `after` and `limit` it is the whole schedule in the shape
 * the schedule view always had.
 */
/**
 * The most tasks one answer holds when the client did not ask for a page: a plan up to this size comes back whole,
 * as it always did; a larger one answers its first page with `page.next` (a 100,000-task plan is 55 MB of JSON).
 */
export const UNPAGED_TASKS = 5_000;

export async function readSchedulePage(repository: ScheduleRowsRepository, tenantId: string, header: ScheduleHeader, request: SchedulePageRequest = {}): Promise<SchedulePage> {
  const { projectId } = header;
  const after = request.after?.split('.').map(Number);
  // No read is unbounded: without a limit at most UNPAGED_TASKS come back, and a larger plan answers its first page.
  const limit = request.limit ?? UNPAGED_TASKS;
  const rows = await repository.tasks(tenantId, projectId, { after, limit: limit + 1 });
  const more = rows.length > limit;
  if (more) rows.pop();
  const paged = request.after !== undefined || request.limit !== undefined || more;
  const [rollups, links] = await Promise.all([
    repository.rollups(tenantId, projectId, rows.filter((r) => r.kind === 'summary').map((r) => r.taskId)),
    repository.links(tenantId, projectId, paged ? rows.map((r) => r.taskId) : undefined),
  ]);
  const workingDays = workingDayCounter(header.calendar);
  const tasks = rows.map((r) => pickFields(taskViewOf(r, rollups.get(r.taskId), workingDays), request.fields));
  const last = tasks.length > 0 ? rows[rows.length - 1].wbsPath.join('.') : null;
  return {
    projectId,
    version: header.version,
    projectStart: header.projectStart,
    projectFinish: header.lastCalculation?.projectFinish ?? header.projectStart,
    statusDate: header.statusDate ?? header.progressDate,
    criticalPaths: header.lastCalculation?.criticalPaths ?? [],
    tasks,
    dependencies: links.map((d) => ({ dependencyId: d.dependencyId, predecessorId: d.predecessorId, successorId: d.successorId, type: d.dependencyType, lagDays: d.lagDays })),
    ...(paged ? { page: { limit, after: request.after ?? null, next: more ? last : null } } : {}),
  };
}
