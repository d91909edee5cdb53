import { useQuery } from '@tanstack/react-query';
import { api } from '../api';
import { planningPath } from '../project/schedule-api';
import type { Schedule } from '../project/schedule.types';
import type { PoolEntry } from '../resources/resources.types';
import type { AutomaticSubject, RiskItem } from './risk.types';

export interface SubjectNames {
  /** Task id → name, from the project's schedule. */
  readonly tasks: ReadonlyMap<string, string>;
  /** Resource id → name, from the resource pool. */
  readonly people: ReadonlyMap<string, string>;
}

/**
 * What an automatic risk is about, in words: two risks of one rule have one title ("Resource over-allocated on a
 * critical task"), and only their subject tells them apart. Names where the schedule and the pool know them, the id
 * otherwise; null for a project-wide rule (one per project, its title says it all).
 */
export function subjectLabel(subject: AutomaticSubject, names: SubjectNames): string | null {
  const task = (id: string | null) => (id === null ? null : (names.tasks.get(id) ?? `task ${id}`));
  switch (subject.kind) {
    case 'resource-on-task':
      return `${subject.resourceId === null ? 'someone' : (names.people.get(subject.resourceId) ?? `resource ${subject.resourceId}`)} on ${task(subject.taskId) ?? 'a task'}`;
    case 'milestone':
      return `milestone ${task(subject.taskId) ?? ''}`.trim();
    case 'mitigation-action':
      return `mitigation action ${subject.actionId ?? ''}`.trim();
    default:
      return null;
  }
}

/** Tasks per request when only names are read: the service's largest page. */
const NAMES_PAGE = 5000;

/**
 * Every task's name and nothing else (`fields=name`): about 60 bytes a task where the whole schedule is about 500,
 * read page by page so a plan past one page is named too.
 */
export async function fetchTaskNames(projectId: string, signal?: AbortSignal): Promise<ReadonlyMap<string, string>> {
  const names = new Map<string, string>();
  let after: string | null = null;
  do {
    const query = `/schedule?fields=name&limit=${NAMES_PAGE}${after === null ? '' : `&after=${encodeURIComponent(after)}`}`;
    const page: Schedule = await api<Schedule>(planningPath(projectId, query), { signal });
    for (const t of page.tasks) names.set(t.taskId, t.name);
    after = page.page?.next ?? null;
  } while (after !== null);
  return names;
}

/** The names the labels of these risks need: the pool and the task names, asked for only when a subject needs them. */
export function useSubjectNames(projectId: string, items: readonly RiskItem[]): SubjectNames {
  const kinds = new Set(items.map((r) => r.automatic?.subject?.kind));
  const needsTasks = kinds.has('resource-on-task') || kinds.has('milestone');
  const pool = useQuery({ queryKey: ['resource-pool'], queryFn: ({ signal }) => api<PoolEntry[]>('/api/resource/resources', { signal }), enabled: kinds.has('resource-on-task'), staleTime: 30_000 });
  const taskNames = useQuery({ queryKey: ['task-names', projectId], queryFn: ({ signal }) => fetchTaskNames(projectId, signal), enabled: needsTasks, staleTime: 30_000 });
  return {
    tasks: taskNames.data ?? new Map<string, string>(),
    people: new Map((pool.data ?? []).map((p) => [p.resourceId, p.name])),
  };
}
