/*
 * Microsoft Project XML (MSPDI) plans of any size for bench:plan, written by the platform's own MSPDI writer
 * (writeMspdi, 2,000 tasks at a time, so that a 400,000-task file never has to be one tree in memory), its task
 * elements without the elements that only restate defaults.
 *
 * The plan: stages (outline level 1) of up to 50 phases (level 2) of 20 tasks (level 3); `taskCount` counts every
 * Task element, summaries included, as the import's task limit does. Links, all between work tasks and pointing
 * forward (so the plan is acyclic):
 *   - the plan's first task is a kick-off on which the first task of every fifth phase depends (fan-out): changing
 *     its duration moves every task of the plan;
 *   - inside a phase the tasks form a chain (FS), and a phase continues the chain of the one before it unless it
 *     starts a group of five (chains of ~100 tasks, about 300 working days, as in a real programme);
 *   - every tenth task also waits for a task of the previous phase (SS with a lag): fan-in. These links join the
 *     groups, so the critical path runs through the whole plan and grows with it, as in a programme whose phases
 *     wait on each other; `fanIn: false` leaves them out (critical paths of one group, ~100 tasks).
 * The last work task of the plan (a leaf; at most a milestone follows it): changing its duration moves only itself,
 * that milestone and its summaries.
 */
import fs from 'node:fs';
import { writeMspdi } from '@pm/shared/interchange';
import type { MspdiLink, MspdiTask } from '@pm/shared/interchange';
import { aProject, aTask } from '../libs/shared/interchange/src/lib/testing/mspdi.builders';

/**
 * Elements that state what a reader assumes when they are absent (MSPDI schema defaults, and our parser's), the
 * optional ID and WBS (the same as UID and OutlineNumber here), and the indentation: dropped from the writer's task elements, so that 400,000 tasks stay near the ~70 MB issue 9 counts
 * on and under the default 96 MiB upload limit (the writer's full form is ~570 bytes a task, ~230 MB).
 */
const DEFAULT_ELEMENTS =
  /<(Manual|Estimated|Milestone|Summary|PercentComplete|ConstraintType|CrossProject|LinkLag)>0<\/\1>|<CalendarUID>-1<\/CalendarUID>|<(DurationFormat|LagFormat)>7<\/\2>|<Type>1<\/Type>|<ID>\d+<\/ID>|<WBS>[^<]*<\/WBS>|\n\t*/g;
const compact = (tasksXml: string): string => tasksXml.replace(DEFAULT_ELEMENTS, '');

const PHASE_TASKS = 20;
const STAGE_PHASES = 50;
const CHUNK = 2_000;

export interface GeneratedPlan {
  readonly file: string;
  readonly bytes: number;
  readonly tasks: number;
  readonly summaries: number;
  readonly links: number;
  /** Schedule task ids (`t<UID>`, as the import names them) of the kick-off and of the last leaf. */
  readonly firstTaskId: string;
  readonly lastLeafId: string;
  readonly firstDuration: number;
  readonly lastLeafDuration: number;
}

const days = (n: number) => ({ days: n, unit: 'days', elapsed: false, estimated: false }) as const;
const link = (predecessorUid: number, type: MspdiLink['type'], lagDays = 0): MspdiLink => ({ predecessorUid, type, lag: days(lagDays) });

/** The tasks in file order, one at a time (the plan is never all in memory). */
export function* planTasks(taskCount: number, fanIn: boolean): Generator<MspdiTask> {
  let uid = 0;
  let stage = 0;
  let phaseInStage = STAGE_PHASES;
  let phase = 0;
  let leafInPhase = PHASE_TASKS;
  let kickoff = 0;
  let previousLeaf = 0;
  let previousPhaseLeaves: number[] = [];
  let phaseLeaves: number[] = [];
  const summary = (name: string, level: number, outline: string): MspdiTask =>
    aTask(++uid, { name, outlineLevel: level, outlineNumber: outline, wbs: outline, summary: true, duration: days(0) });
  while (uid < taskCount) {
    if (leafInPhase === PHASE_TASKS && taskCount - uid >= 2) {
      if (phaseInStage === STAGE_PHASES && taskCount - uid >= 3) {
        stage++;
        phaseInStage = 0;
        yield summary(`Stage ${stage}`, 1, `${stage}`);
      }
      phase++;
      phaseInStage++;
      leafInPhase = 0;
      previousPhaseLeaves = phaseLeaves;
      phaseLeaves = [];
      yield summary(`Phase ${stage}.${phaseInStage}`, 2, `${stage}.${phaseInStage}`);
    }
    leafInPhase++;
    const id = uid + 1;
    const predecessors: MspdiLink[] = [];
    if (kickoff === 0) kickoff = id;
    else if (leafInPhase > 1 || phase % 5 !== 1) predecessors.push(link(previousLeaf, 'FS'));
    else predecessors.push(link(kickoff, 'FS'));
    if (fanIn && leafInPhase % 10 === 0 && previousPhaseLeaves.length) predecessors.push(link(previousPhaseLeaves[(id * 7) % previousPhaseLeaves.length], 'SS', 2));
    const milestone = id !== kickoff && id % 50 === 0;
    // Durations scattered by a hash of the UID: chains of equal length would make every group of phases critical at
    // once, which real plans are not (and the calculation lists up to 100 critical paths).
    const duration = milestone ? 0 : 1 + (Math.imul(id, 2654435761) >>> 0) % 10;
    const outline = `${stage}.${phaseInStage}.${leafInPhase}`;
    yield aTask(++uid, { name: `Task ${outline}`, outlineLevel: 3, outlineNumber: outline, wbs: outline, milestone, duration: days(duration), predecessors });
    previousLeaf = id;
    phaseLeaves.push(id);
  }
}

/** Writes the plan to `file`; what the bench needs to know about it comes back. */
export function writePlanFile(file: string, taskCount: number, { fanIn = true }: { fanIn?: boolean } = {}): GeneratedPlan {
  const fd = fs.openSync(file, 'w');
  let tail = '';
  let chunk: MspdiTask[] = [];
  let first = true;
  let summaries = 0;
  let links = 0;
  let firstTask: MspdiTask | undefined;
  let lastLeaf: MspdiTask | undefined;
  const flush = () => {
    const xml = writeMspdi(aProject(chunk, undefined, { name: `bench-plan-${taskCount}.xml`, title: `Bench plan of ${taskCount} tasks`, startDate: '2025-01-06T08:00:00' }));
    const open = xml.indexOf('\t<Tasks>\n') + '\t<Tasks>\n'.length;
    const close = xml.lastIndexOf('\t</Tasks>\n');
    if (first) fs.writeSync(fd, xml.slice(0, open));
    fs.writeSync(fd, compact(xml.slice(open, close)));
    tail = xml.slice(close);
    first = false;
    chunk = [];
  };
  try {
    for (const task of planTasks(taskCount, fanIn)) {
      if (task.summary) summaries++;
      else {
        firstTask ??= task;
        if (!task.milestone) lastLeaf = task;
      }
      links += task.predecessors.length;
      chunk.push(task);
      if (chunk.length === CHUNK) flush();
    }
    if (chunk.length) flush();
    fs.writeSync(fd, tail);
  } finally {
    fs.closeSync(fd);
  }
  if (!firstTask || !lastLeaf) throw new Error(`a plan needs at least 3 tasks, not ${taskCount}`);
  return {
    file,
    bytes: fs.statSync(file).size,
    tasks: taskCount,
    summaries,
    links,
    firstTaskId: `t${firstTask.uid}`,
    lastLeafId: `t${lastLeaf.uid}`,
    firstDuration: firstTask.duration.days,
    lastLeafDuration: lastLeaf.duration.days,
  };
}
