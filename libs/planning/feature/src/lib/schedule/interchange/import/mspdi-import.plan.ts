import { toCalendarSpec } from '@pm/shared/interchange';
import type { MspdiLag, MspdiProject, MspdiTask } from '@pm/shared/interchange';
import { conflict, decideSchedule, evolveSchedule, isDomainError, linkDependencies, recalculate, toDependencyId, toProjectId, toTaskId } from '@pm/planning/domain';
import type { CommandMetadata, LinkDependency, ProjectCalendar, ScheduleCommand, ScheduleState, ScheduleStreamEvent, TaskDates, TaskKind } from '@pm/planning/domain';

const dateOf = (dateTime: string | null): string | null => (dateTime === null ? null : dateTime.slice(0, 10));
export const importedTaskId = (uid: number): string => `t${uid}`;

/** The plan's calendar as the engine reads it (recurring exceptions expanded), with names for people. */
export function importedCalendar(project: MspdiProject): ProjectCalendar {
  const spec = toCalendarSpec(project);
  return {
    calendarId: 'mspdi',
    name: 'Imported from Microsoft Project',
    workingWeekdays: spec.workingWeekdays,
    hoursPerDay: spec.hoursPerDay,
    holidays: (spec.holidays ?? []).map((date) => ({ date, name: 'Non-working day' })),
    exceptions: (spec.exceptions ?? []).map((e) => ({ date: e.date, working: e.working, hours: e.hours ?? null, reason: null })),
  };
}

/** Microsoft Project allows a milestone with a duration; the domain does not, so such a task keeps its duration. */
function kindOf(task: MspdiTask): TaskKind {
  if (task.summary) return 'summary';
  return task.duration.days === 0 ? 'milestone' : 'task';
}

const lagDays = (lag: MspdiLag): number | null => (lag.unit === 'percent' ? null : lag.days);

/** What an import decided, in memory, against the schedule it goes into; its events went to `emit` as decided. */
export interface ImportedSchedule {
  readonly events: number;
  readonly warnings: string[];
  readonly tasks: number;
  readonly links: number;
  /** The schedule with every event folded in: by decideMspdiCommands its commands', by concludeMspdiImport all (the snapshot's). */
  readonly state: ScheduleState;
}

type Emit = (events: ScheduleStreamEvent[]) => void;

/** Folds decided events into the state and hands them to `emit` in batches of EMIT_BATCH; `flush` hands on the rest. */
class Recorder {
  private batch: ScheduleStreamEvent[] = [];
  count = 0;

  constructor(
    public state: ScheduleState,
    private readonly emit: Emit,
  ) {}

  record(decided: readonly ScheduleStreamEvent[]): void {
    for (const event of decided) {
      this.state = evolveSchedule(this.state, event);
      this.batch.push(event);
      this.count++;
      if (this.batch.length >= EMIT_BATCH) this.flush();
    }
  }

  flush(): void {
    if (this.batch.length === 0) return;
    this.emit(this.batch);
    this.batch = [];
  }
}

/**
 * Decides a parsed MSPDI plan against the project's schedule, command by command, each against the state the
 * previous ones leave. The structure (tasks and their hierarchy) must import; what the domain cannot represent
 * (links to summaries, percentage lags, links that would close a cycle, progress it refuses) is skipped and reported
 * as a warning. Synchronous and in memory: it runs in a worker thread (ADR 0009). `state` is consumed (the fold
 * updates it in place). The result holds nothing of `project`, so the caller can let the parsed plan go (about 1 KB a
 * task) before concludeMspdiImport's recalculation and the snapshot, the import's largest moment.
 */
export function decideMspdiCommands(state: ScheduleState, projectId: string, project: MspdiProject, metadata: CommandMetadata, emit: Emit): ImportedSchedule {
  const warnings: string[] = [];
  const recorder = new Recorder(state, emit);
  const pid = toProjectId(projectId);
  const apply = (command: ScheduleCommand, required: boolean, what: string): void => {
    try {
      recorder.record(decideSchedule(command, recorder.state));
    } catch (error) {
      if (required || !isDomainError(error)) throw error;
      warnings.push(`${what}: ${error.code}`);
    }
  };
  const projectStart = dateOf(project.properties.startDate) ?? '1970-01-01';
  const calendar = importedCalendar(project);
  const opened = recorder.state;
  if (opened.status === 'open') {
    if (opened.tasks.size > 0) throw conflict('SCHEDULE_NOT_EMPTY', 'Import into a schedule without tasks', { projectId });
    apply({ type: 'DefineWorkingCalendar', data: { projectId: pid, calendar }, metadata }, true, 'calendar');
    apply({ type: 'RescheduleProjectStart', data: { projectId: pid, projectStart }, metadata }, true, 'project start');
  } else {
    apply({ type: 'OpenSchedule', data: { projectId: pid, projectStart, calendar }, metadata }, true, 'schedule');
  }

  const tasks = project.tasks.filter((t) => t.outlineLevel > 0);
  const parents: string[] = [];
  for (const task of tasks) {
    const taskId = toTaskId(importedTaskId(task.uid));
    const kind = kindOf(task);
    parents.length = task.outlineLevel - 1;
    const parentId = task.outlineLevel > 1 ? (parents[task.outlineLevel - 2] ?? null) : null;
    const isPackage = kind !== 'summary';
    apply(
      {
        type: 'AddTaskToWbs',
        data: {
          projectId: pid,
          taskId,
          name: task.name.trim() === '' ? `Task ${task.uid}` : task.name.slice(0, 1000),
          kind,
          parentId: parentId === null ? null : toTaskId(parentId),
          durationDays: isPackage ? task.duration.days : 0,
          workHours: isPackage ? task.work : null,
          costBudget: isPackage ? task.cost : null,
        },
        metadata,
      },
      true,
      `task ${task.uid}`,
    );
    parents[task.outlineLevel - 1] = taskId;
    if (!isPackage) continue;
    const { type, date } = task.constraint;
    if (type !== 'ASAP') apply({ type: 'ConstrainTask', data: { projectId: pid, taskId, constraint: { type, date: dateOf(date) } }, metadata }, false, `constraint of task ${task.uid}`);
  }

  // Links are decided together: the cycle rule over all of them in near-linear time, with the same outcome as one by one.
  const links: LinkDependency[] = [];
  for (const task of tasks) {
    for (const link of task.predecessors) {
      const lag = lagDays(link.lag);
      if (lag === null) {
        warnings.push(`link ${link.predecessorUid} → ${task.uid}: percentage lags are not supported`);
        continue;
      }
      const data = {
        projectId: pid,
        dependencyId: toDependencyId(`l${link.predecessorUid}-${task.uid}`),
        predecessorId: toTaskId(importedTaskId(link.predecessorUid)),
        successorId: toTaskId(importedTaskId(task.uid)),
        dependencyType: link.type,
        lagDays: lag,
      };
      links.push({ type: 'LinkDependency', data, metadata });
    }
  }
  const linked = linkDependencies(links, recorder.state);
  recorder.record(linked.events);
  for (const { command, error } of linked.refused) warnings.push(`link ${command.data.predecessorId.slice(1)} → ${command.data.successorId.slice(1)}: ${error.code}`);

  for (const task of tasks) {
    if (task.summary) continue;
    const taskId = toTaskId(importedTaskId(task.uid));
    const actualStart = dateOf(task.actualStart);
    const actualFinish = dateOf(task.actualFinish);
    if (actualFinish !== null) {
      apply({ type: 'FinishTask', data: { projectId: pid, taskId, actualFinish, actualStart }, metadata }, false, `finish of task ${task.uid}`);
    } else if (actualStart !== null) {
      apply({ type: 'StartTask', data: { projectId: pid, taskId, actualStart }, metadata }, false, `start of task ${task.uid}`);
      if (task.percentComplete > 0 && task.percentComplete < 100) {
        const asOf = dateOf(project.properties.statusDate) ?? actualStart;
        apply({ type: 'RecordTaskProgress', data: { projectId: pid, taskId, percentComplete: task.percentComplete, asOf }, metadata }, false, `progress of task ${task.uid}`);
      }
    }
  }
  importBaselines(tasks, pid, metadata, apply);
  recorder.flush();
  return { events: recorder.count, warnings, tasks: tasks.length, links: linked.events.length, state: recorder.state };
}

/** Concludes decided commands with the one recalculation (ADR 0100); its events go to `emit` as well. */
export function concludeMspdiImport(decided: ImportedSchedule, emit: Emit): ImportedSchedule {
  const recorder = new Recorder(decided.state, emit);
  recorder.record(recalculate(recorder.state));
  recorder.flush();
  return { ...decided, events: decided.events + recorder.count, state: recorder.state };
}

/** Events handed on at a time: small enough to stream, large enough that the hand-over costs nothing. */
const EMIT_BATCH = 2_000;

type Apply = (command: ScheduleCommand, required: boolean, what: string) => void;

/** A baseline imports when every task carries its dates; work and cost are rolled up from the imported plan. */
function importBaselines(tasks: readonly MspdiTask[], projectId: ReturnType<typeof toProjectId>, metadata: CommandMetadata, apply: Apply): void {
  const numbers = [...new Set(tasks.flatMap((t) => t.baselines.map((b) => b.number)))].sort((a, b) => a - b);
  for (const baselineNumber of numbers) {
    const taskDates = new Map<string, TaskDates>();
    for (const task of tasks) {
      const saved = task.baselines.find((b) => b.number === baselineNumber);
      const start = dateOf(saved?.start ?? null);
      const finish = dateOf(saved?.finish ?? null);
      if (start !== null && finish !== null) taskDates.set(importedTaskId(task.uid), { start, finish });
    }
    apply({ type: 'SaveBaseline', data: { projectId, baselineNumber, taskDates }, metadata }, false, `baseline ${baselineNumber}`);
  }
}
