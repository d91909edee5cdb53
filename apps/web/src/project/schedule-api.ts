import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { QueryClient } from '@tanstack/react-query';
import { api, ApiProblem } from '../api';
import type { Schedule, ScheduleCommandResult, VarianceView } from './schedule.types';

export const planningPath = (projectId: string, rest = '') => `/api/planning/projects/${encodeURIComponent(projectId)}${rest}`;
export const scheduleKey = (projectId: string) => ['schedule', projectId] as const;

const fetchSchedule = (projectId: string, signal?: AbortSignal) => api<Schedule>(planningPath(projectId, '/schedule'), { signal });

export function useSchedule(projectId: string) {
  return useQuery({ queryKey: scheduleKey(projectId), queryFn: ({ signal }) => fetchSchedule(projectId, signal) });
}

/** The whole schedule as far as another component has loaded it; never asks for it itself. */
export function useScheduleObserved(projectId: string) {
  return useQuery({ queryKey: scheduleKey(projectId), queryFn: ({ signal }) => fetchSchedule(projectId, signal), enabled: false });
}

const firstPageKey = (projectId: string) => ['schedule-first-page', projectId] as const;
const fetchFirstPage = (projectId: string, signal?: AbortSignal) => api<Schedule>(planningPath(projectId, `/schedule?limit=${FIRST_PAGE}`), { signal });

/**
 * True once the Gantt's first rows are in (or the whole plan, or an answer that there is none): what the project
 * screen asks of planning besides them (variance, earned value) waits until then, so the first page has the service
 * to itself while a person waits for it.
 */
export function usePlanOpened(projectId: string): boolean {
  const first = useQuery({ queryKey: firstPageKey(projectId), queryFn: ({ signal }) => fetchFirstPage(projectId, signal), enabled: false });
  const whole = useScheduleObserved(projectId);
  return !first.isPending || whole.isSuccess;
}

/** Rows asked for first: a few screenfuls, in WBS order, with the links that touch them. */
export const FIRST_PAGE = 100;

/**
 * The schedule's first page, then the whole schedule (2,000 tasks are ~1 MB): the Gantt shows the first page's rows
 * while the rest is on its way, then the whole plan. The whole one is asked for once the first page has answered, not
 * beside it: on a busy planning service (2 cores) the two would share it and the first rows would come as late as
 * the whole plan. A plan already loaded is shown at once and asks for no first page.
 */
export function useScheduleProgressively(projectId: string) {
  const cached = useScheduleObserved(projectId);
  const first = useQuery({
    queryKey: firstPageKey(projectId),
    enabled: !cached.isSuccess,
    staleTime: Number.POSITIVE_INFINITY,
    queryFn: ({ signal }) => fetchFirstPage(projectId, signal),
  });
  const whole = useQuery({ queryKey: scheduleKey(projectId), queryFn: ({ signal }) => fetchSchedule(projectId, signal), enabled: cached.isSuccess || !first.isPending });
  return { whole, data: whole.data ?? first.data };
}

/** Baseline N's dates by task, from the variance report; none (not an error) while no baseline was saved. */
export function useBaseline(projectId: string, baselineNumber = 0) {
  const opened = usePlanOpened(projectId);
  return useQuery({
    queryKey: ['variance', projectId, baselineNumber],
    enabled: opened,
    queryFn: async ({ signal }) => {
      try {
        return await api<VarianceView>(planningPath(projectId, `/schedule/variance?baseline=${baselineNumber}`), { signal });
      } catch (e) {
        if (e instanceof ApiProblem && (e.code === 'BASELINE_NOT_FOUND' || e.code === 'SCHEDULE_NOT_OPEN')) return null;
        throw e;
      }
    },
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The schedule read model is a projection of the schedule stream: it catches up with a command shortly after the
 * command answers. Read until it is at least at the version the command returned (its ETag is that version), so what
 * the Gantt shows next includes the recalculated dates and critical path.
 */
export async function untilVersion(qc: QueryClient, projectId: string, version: number, { tries = 60, intervalMs = 150 } = {}): Promise<Schedule> {
  for (let i = 0; ; i++) {
    const schedule = await qc.fetchQuery({ queryKey: scheduleKey(projectId), queryFn: ({ signal }) => fetchSchedule(projectId, signal), staleTime: 0 });
    if (schedule.version >= version || i >= tries) return schedule;
    await sleep(intervalMs);
  }
}

export interface ScheduleCommand {
  readonly method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Under /projects/{id}/schedule, e.g. `/tasks/{taskId}`. */
  readonly path: string;
  readonly body?: unknown;
}

/** Sends a planning command and resolves once the Gantt's data includes its result (dates and critical path). */
export function useScheduleCommand(projectId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (cmd: ScheduleCommand) => {
      const result = await api<ScheduleCommandResult>(planningPath(projectId, `/schedule${cmd.path}`), { method: cmd.method, body: cmd.body ?? (cmd.method === 'DELETE' ? undefined : {}) });
      await untilVersion(qc, projectId, result.version);
      void qc.invalidateQueries({ queryKey: ['variance', projectId] });
      void qc.invalidateQueries({ queryKey: ['evm', projectId] });
      return result;
    },
  });
}
