import type { PlannedTask, PoolEntry } from '@pm/resource/data-access';
import { WorkingMinutes, capacityProfile } from '@pm/resource/domain';
import type { AssignmentLoad, LevellingInput, LevellingLink, LevellingLoad, LevellingProposal, LevellingTask, ProposedConflict, ProposedMove } from '@pm/resource/domain';
import type { CalendarSpec, WorkingCalendar } from '@pm/shared/scheduling';

export interface PlanSnapshot {
  readonly tasks: readonly PlannedTask[];
  /** Project priority (low, medium, high, critical) from planning: the default priority of its tasks. */
  readonly projectPriorities: ReadonlyMap<string, string>;
  readonly links: ReadonlyArray<{ projectId: string; from: string; to: string; type: string; lagDays: number }>;
  readonly assignments: ReadonlyArray<{ projectId: string; taskId: string; resourceId: string; load: AssignmentLoad }>;
  readonly people: ReadonlyMap<string, PoolEntry>;
}

const key = (projectId: string, taskId: string) => `${projectId}/${taskId}`;
/** Project priorities on Microsoft Project's 0..1000 task-priority scale. */
const PROJECT_PRIORITY: ReadonlyMap<string, number> = new Map([
  ['low', 250],
  ['medium', 500],
  ['high', 750],
  ['critical', 1000],
]);
const LINK_TYPES = new Set(['FS', 'SS', 'FF', 'SF']);

/**
 * Translates the local copy of the plan into levelling's working-day indices on one calendar (day 0 = the
 * earliest start). Each person's capacity and demand follow their own calendar on those days (none on a day
 * they do not work). `people` are the resources with capacity (people and equipment): a placeholder has none
 * to level against yet.
 */
export function buildLevellingInput(plan: PlanSnapshot, calendar: WorkingCalendar, defaultCalendar: CalendarSpec, priorities: ReadonlyMap<string, number>, maxDelay: number): LevellingInput {
  const dated = plan.tasks.filter((t) => t.start !== null && t.durationDays !== null);
  const known = new Set(dated.map((t) => key(t.projectId, t.taskId)));
  const tasks: LevellingTask[] = dated.map((t) => ({
    taskId: key(t.projectId, t.taskId),
    start: calendar.indexOnOrAfter(t.start as string),
    duration: t.durationDays as number,
    totalFloat: t.totalFloat ?? 0,
    priority: priorities.get(key(t.projectId, t.taskId)) ?? priorities.get(t.taskId) ?? PROJECT_PRIORITY.get(plan.projectPriorities.get(t.projectId) ?? 'medium') ?? 500,
  }));
  const links: LevellingLink[] = plan.links
    .filter((l) => known.has(key(l.projectId, l.from)) && known.has(key(l.projectId, l.to)) && LINK_TYPES.has(l.type))
    .map((l) => ({ from: key(l.projectId, l.from), to: key(l.projectId, l.to), lag: Math.ceil(l.lagDays), type: l.type as LevellingLink['type'] }));
  const byKey = new Map(dated.map((t) => [key(t.projectId, t.taskId), t]));
  const ownMinutes = new Map([...plan.people.values()].map((p) => [p.resourceId, new WorkingMinutes(p.calendar ?? defaultCalendar)]));
  /** Minutes the person's own calendar has on working day `day` of the plan calendar. */
  const ownDay = (resourceId: string, day: number) => ownMinutes.get(resourceId)?.minutesOn(calendar.dayNumberAt(day)) ?? 0;
  const loadOf = new Map<LevellingLoad, AssignmentLoad>();
  const loads: LevellingLoad[] = plan.assignments.flatMap((a) => {
    const task = byKey.get(key(a.projectId, a.taskId));
    const person = plan.people.get(a.resourceId);
    if (!task || !person || !task.durationDays) return [];
    const taskStart = calendar.indexOnOrAfter(task.start as string);
    let ownDays = 0;
    for (let d = taskStart; d < taskStart + task.durationDays; d++) if (ownDay(a.resourceId, d) > 0) ownDays++;
    // Work is spread over the days the person works inside the task, counted where the plan has it now.
    const minutesPerDay = a.load.kind === 'units' ? Math.round((Math.round((person.calendar ?? defaultCalendar).hoursPerDay * 60) * a.load.percent) / 100) : Math.ceil(a.load.minutes / Math.max(1, ownDays));
    const levelled: LevellingLoad = { taskId: key(a.projectId, a.taskId), resourceId: a.resourceId, minutesPerDay };
    loadOf.set(levelled, a.load);
    return [levelled];
  });
  // As capacity and demand are counted everywhere else (addDemand): a share of each day the person works.
  const demandOn = (load: LevellingLoad, day: number): number => {
    const minutes = ownDay(load.resourceId, day);
    if (minutes === 0) return 0;
    const assigned = loadOf.get(load);
    return assigned?.kind === 'units' ? Math.round((minutes * assigned.percent) / 100) : load.minutesPerDay;
  };
  const horizon = tasks.reduce((h, t) => Math.max(h, t.start + t.duration), 0) + maxDelay * 2 + 10;
  const from = calendar.dayNumberAt(0);
  const to = calendar.dayNumberAt(horizon);
  const range = { from, to };
  const profiles = new Map([...plan.people.values()].map((p) => [p.resourceId, capacityProfile({ calendar: p.calendar ?? defaultCalendar, availabilityPercent: p.availabilityPercent, leave: p.leave }, range)]));
  const capacityOn = (resourceId: string, day: number) => {
    const profile = profiles.get(resourceId);
    const d = calendar.dayNumberAt(day);
    return profile && d >= from && d <= to ? profile[d - from] : 0;
  };
  return { tasks, links, loads, capacityOn, demandOn, maxDelay };
}

/** Back to dates: what planning needs to apply a move and what a PMO reads. */
export function toDated(proposal: LevellingProposal, input: LevellingInput, calendar: WorkingCalendar) {
  const split = (k: string) => ({ projectId: k.slice(0, k.indexOf('/')), taskId: k.slice(k.indexOf('/') + 1) });
  const duration = new Map(input.tasks.map((t) => [t.taskId, t.duration]));
  const finishOf = (start: number, d: number) => calendar.dateAt(start + Math.max(d, 1) - 1);
  const moves: ProposedMove[] = proposal.moves.map((m) => ({
    ...split(m.taskId),
    fromStart: calendar.dateAt(m.fromStart),
    toStart: calendar.dateAt(m.toStart),
    toFinish: finishOf(m.toStart, duration.get(m.taskId) ?? 1),
    delayDays: m.delay,
    withinFloat: m.withinFloat,
  }));
  const unresolved: ProposedConflict[] = proposal.unresolved.map((c) => ({ ...split(c.taskId), resourceId: c.resourceId, from: calendar.dateAt(c.fromDay), to: calendar.dateAt(c.toDay), reason: c.reason }));
  const finish = (f: number) => (input.tasks.length ? calendar.dateAt(Math.max(f - 1, 0)) : null);
  return { moves, unresolved, finishBefore: finish(proposal.finishBefore), finishAfter: finish(proposal.finishAfter) };
}

export const earliestStart = (tasks: readonly PlannedTask[]): string | null =>
  tasks.reduce<string | null>((m, t) => (t.start !== null && (m === null || t.start < m) ? t.start : m), null);
