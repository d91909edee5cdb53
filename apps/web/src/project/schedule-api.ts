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

/** Rows asked for first: a few screenfuls, in WBS order, with the links that touch them. */
export const FIRST_PAGE = 100;

/**
 * The whole schedule (2,000 tasks are ~1 MB) and, side by side, its first page, which comes back in a fraction of the
 * time: the Gantt shows the first page's rows while the rest is on its way, then the whole plan. The first page is
 * asked for only while the whole one is pending.
 */
export function useScheduleProgressively(projectId: string) {
  const whole = useSchedule(projectId);
  const first = useQuery({
    queryKey: ['schedule-first-page', projectId],
    enabled: whole.isPending,
    staleTime: Number.POSITIVE_INFINITY,
    queryFn: ({ signal }) => api<Schedule>(planningPath(projectId, `/schedule?limit=${FIRST_PAGE}`), { signal }),
  });
  return { whole, data: whole.data ?? first.data };
}

/** Baseline N's dates by task, from the variance report; none (not an error) while no baseline was saved. */
export function useBaseline(projectId: string, baselineNumber = 0) {
  return useQuery({
    queryKey: ['variance', projectId, baselineNumber],
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
  readonly method: 'POST' | 'PATCH' | 'DELETE';
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
