/*
 * What the portfolio seeder builds, decided before any request: a deterministic function of (seed, tenant, project
 * index), so that a re-run with the same seed addresses the same ids and sends the same plans.
 *
 * A plan is a Microsoft Project XML file (written by the platform's MSPDI writer) of `tasks` tasks:
 * phases (outline level 1) of up to 20 tasks (level 2), two workstreams (phase p follows phase p-2), inside a phase a
 * finish-to-start chain with every fifth task a parallel branch from the phase start, and a milestone closing the
 * phase that waits for the chain and its branches. Durations 1-5 working days, a cost per task. The file carries
 * Baseline 0 (dates from a forward pass over the same links on a Monday-Friday calendar, as the planning engine
 * computes them), actual start / finish and percent complete of the work done by the first status date (each project
 * runs at its own pace, 80 % to 108 % of the baseline's; milestones whose work is done are achieved), and that status date: one import is the whole plan.
 */
import { createHash } from 'node:crypto';
import { writeMspdi } from '@pm/shared/interchange';
import type { MspdiLink, MspdiTask } from '@pm/shared/interchange';
import { aProject, aTask } from '../../libs/shared/interchange/src/lib/testing/mspdi.builders';

/** mulberry32: a small, fast, seedable PRNG (uniform in [0, 1)). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/** A stable UUID (version 5 layout, variant 10) named by `text`: the same seed gives the same ids. */
export function stableUuid(text: string): string {
  const b = digest(text).subarray(0, 16);
  b[6] = (b[6] & 0x0f) | 0x50;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A 32-bit seed for one named thing. */
export const seedOf = (text: string): number => digest(text).readUInt32LE(0);

/** A working-day index from the project's first Monday to its date (Monday-Friday calendar, no holidays). */
export function workingDate(monday: string, index: number): string {
  const d = new Date(`${monday}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + Math.floor(index / 5) * 7 + (index % 5));
  return d.toISOString().slice(0, 10);
}

/** Working days from `monday` up to and including `date` (a weekday), i.e. the index of `date`. */
export function workingIndex(monday: string, date: string): number {
  const days = Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${monday}T00:00:00Z`)) / 86_400_000);
  return Math.floor(days / 7) * 5 + Math.min(days % 7, 5);
}

export const addDays = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** The Friday on or before `date`. */
export function fridayOnOrBefore(date: string): string {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return addDays(date, -((day + 2) % 7));
}

interface PlannedTask {
  readonly uid: number;
  readonly name: string;
  readonly outline: string;
  readonly level: number;
  readonly kind: 'summary' | 'work' | 'milestone';
  readonly duration: number;
  readonly predecessors: readonly number[];
  readonly cost: number;
  /** Working-day indexes of the baseline (forward pass). */
  start: number;
  finish: number;
}

export interface SeededPlan {
  readonly xml: string;
  readonly tasks: number;
  readonly links: number;
  /** Schedule task ids (`t<UID>`) of work tasks, in file order: what assignments and progress address. */
  readonly workTaskIds: readonly string[];
  /** Work tasks in progress at the first status date, with their percent complete then and their remaining share. */
  readonly inProgress: ReadonlyArray<{ readonly taskId: string; readonly percent: number; readonly duration: number }>;
  /** The project's pace (1 = as baselined): how fast work goes on after the first status date too. */
  readonly pace: number;
  readonly baselineFinish: string;
}

const PHASE_SIZE = 20;

function planTasks(taskCount: number, random: () => number): PlannedTask[] {
  const tasks: PlannedTask[] = [];
  const phaseMilestones: number[] = [];
  let uid = 0;
  for (let phase = 1; uid < taskCount; phase++) {
    const room = taskCount - uid;
    if (room < 3) break;
    const summaryUid = ++uid;
    const size = Math.min(PHASE_SIZE, room);
    tasks.push({ uid: summaryUid, name: `Phase ${phase}`, outline: `${phase}`, level: 1, kind: 'summary', duration: 0, predecessors: [], cost: 0, start: 0, finish: 0 });
    const entry = phaseMilestones.length >= 2 ? [phaseMilestones[phaseMilestones.length - 2]] : [];
    const ends: number[] = [];
    let previous = 0;
    for (let i = 1; i < size - 1; i++) {
      const id = ++uid;
      const branch = i > 1 && i % 5 === 0;
      const predecessors = i === 1 || branch ? entry : [previous];
      const duration = 1 + Math.floor(random() * 5);
      tasks.push({ uid: id, name: `Work package ${phase}.${i}`, outline: `${phase}.${i}`, level: 2, kind: 'work', duration, predecessors, cost: duration * (400 + Math.floor(random() * 8) * 100), start: 0, finish: 0 });
      if (branch) ends.push(id);
      else previous = id;
    }
    const milestone = ++uid;
    tasks.push({ uid: milestone, name: `Phase ${phase} complete`, outline: `${phase}.${size - 1}`, level: 2, kind: 'milestone', duration: 0, predecessors: [previous, ...ends].filter((p) => p > 0), cost: 0, start: 0, finish: 0 });
    phaseMilestones.push(milestone);
  }
  forwardPass(tasks);
  return tasks;
}

/** Early dates over finish-to-start links without lags: a task starts the working day after its latest predecessor. */
function forwardPass(tasks: PlannedTask[]): void {
  const byUid = new Map(tasks.map((t) => [t.uid, t]));
  let summary: PlannedTask | undefined;
  const closeSummary = (children: PlannedTask[]) => {
    if (!summary || !children.length) return;
    summary.start = Math.min(...children.map((c) => c.start));
    summary.finish = Math.max(...children.map((c) => c.finish));
  };
  let children: PlannedTask[] = [];
  for (const task of tasks) {
    if (task.kind === 'summary') {
      closeSummary(children);
      summary = task;
      children = [];
      continue;
    }
    const predecessorFinish = task.predecessors.length ? Math.max(...task.predecessors.map((p) => byUid.get(p)!.finish)) : -1;
    if (task.kind === 'milestone') {
      task.start = task.finish = Math.max(predecessorFinish, 0);
    } else {
      task.start = predecessorFinish + 1;
      task.finish = task.start + task.duration - 1;
    }
    children.push(task);
  }
  closeSummary(children);
}

const days = (n: number) => ({ days: n, unit: 'days', elapsed: false, estimated: false }) as const;
const fs = (uid: number): MspdiLink => ({ predecessorUid: uid, type: 'FS', lag: days(0) });

/**
 * The plan of a project starting on `monday`, with its progress at `statusDate` at `pace` (1 = as baselined).
 * Only tasks due to start by the status date carry progress; actual dates are the baseline's, shifted by the pace.
 */
export function seededPlan(o: { name: string; monday: string; statusDate: string; taskCount: number; pace: number; random: () => number }): SeededPlan {
  const planned = planTasks(o.taskCount, o.random);
  const statusIndex = workingIndex(o.monday, o.statusDate);
  const done = Math.min(statusIndex, Math.floor((statusIndex + 1) * o.pace) - 1);
  const at = (index: number, time: string) => `${workingDate(o.monday, index)}T${time}`;
  const inProgress: Array<{ taskId: string; percent: number; duration: number }> = [];
  const tasks: MspdiTask[] = planned.map((t) => {
    const work = t.kind === 'work';
    let progress: Partial<MspdiTask> = {};
    if (t.kind !== 'summary' && t.finish <= done) progress = { percentComplete: 100, actualStart: at(t.start, '08:00:00'), actualFinish: at(t.finish, '17:00:00') };
    else if (work && t.start <= done) {
      const percent = Math.max(1, Math.min(99, Math.round(((done - t.start + 1) / t.duration) * 100)));
      progress = { percentComplete: percent, actualStart: at(t.start, '08:00:00') };
      inProgress.push({ taskId: `t${t.uid}`, percent, duration: t.duration });
    }
    return aTask(t.uid, {
      name: t.name,
      outlineLevel: t.level,
      outlineNumber: t.outline,
      wbs: t.outline,
      summary: t.kind === 'summary',
      milestone: t.kind === 'milestone',
      duration: days(t.duration),
      cost: work ? t.cost : null,
      predecessors: t.predecessors.map(fs),
      baselines: [{ number: 0, start: at(t.start, '08:00:00'), finish: at(t.finish, '17:00:00'), duration: days(t.duration), work: null, cost: work ? t.cost : null }],
      ...progress,
    });
  });
  const xml = writeMspdi(aProject(tasks, undefined, { name: `${o.name}.xml`, title: o.name, startDate: `${o.monday}T08:00:00`, statusDate: `${o.statusDate}T17:00:00`, currencyCode: 'EUR', currencySymbol: '€' }));
  return {
    xml,
    tasks: tasks.length,
    links: planned.reduce((n, t) => n + t.predecessors.length, 0),
    workTaskIds: planned.filter((t) => t.kind === 'work').map((t) => `t${t.uid}`),
    inProgress,
    pace: o.pace,
    baselineFinish: workingDate(o.monday, Math.max(...planned.map((t) => t.finish))),
  };
}
