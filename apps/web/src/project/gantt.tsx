import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useMemo, useRef } from 'react';
import type { ReactNode } from 'react';
import { barOf, linkPath, linksByTask, ROW_HEIGHT, ticksOf, timeScale, todayIso } from './gantt-geometry';
import type { TimeScale, Zoom } from './gantt-geometry';
import type { Schedule, ScheduleLink, ScheduleTask } from './schedule.types';
import './project.css';

/** Baseline dates by task, when a baseline was saved (drawn as a thin grey bar under the current one). */
export type BaselineDates = ReadonlyMap<string, { start: string; finish: string }>;

export interface GanttProps {
  readonly schedule: Schedule;
  readonly baseline: BaselineDates;
  readonly zoom: Zoom;
  readonly selectedId: string | null;
  readonly onSelect: (taskId: string) => void;
  /** The duration cell of a task: a button that opens the inline editor, or the editor itself. */
  readonly durationCell: (task: ScheduleTask) => ReactNode;
}

const OVERSCAN = 12;
let firstRowsMarked = false;
let wholePlanMarked = false;

/**
 * The Gantt: a left grid and an SVG chart in one scroll container, so both scroll together vertically and the grid
 * stays put (sticky) while the chart scrolls sideways. Only the rows on screen (plus an overscan) are in the DOM:
 * @tanstack/react-virtual says which, the chart draws just their bars and the links that touch them.
 */
export function Gantt({ schedule, baseline, zoom, selectedId, onSelect, durationCell }: GanttProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const tasks = schedule.tasks;
  const today = todayIso();
  // The project's start and finish frame the chart, so the first page of a large plan already has the whole width.
  const scale = useMemo(
    () => timeScale(tasks, [schedule.projectStart, schedule.projectFinish, schedule.statusDate, today], zoom),
    [tasks, schedule.projectStart, schedule.projectFinish, schedule.statusDate, today, zoom],
  );
  const ticks = useMemo(() => ticksOf(scale, zoom), [scale, zoom]);
  const rowOf = useMemo(() => new Map(tasks.map((t, i) => [t.taskId, i])), [tasks]);
  const links = useMemo(() => linksByTask(schedule.dependencies), [schedule.dependencies]);
  // Without flushSync a scroll event does not force a synchronous render: React renders the frame's rows once.
  const virtualizer = useVirtualizer({ count: tasks.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: OVERSCAN, useFlushSync: false });
  const items = virtualizer.getVirtualItems();
  const height = virtualizer.getTotalSize();

  const complete = !schedule.page?.next;
  useEffect(() => {
    // The benchmark (bench/web-gantt.bench.ts) reads these marks: the first rows on screen, and the whole plan in.
    if (!firstRowsMarked && items.length > 0) {
      firstRowsMarked = true;
      performance.mark('gantt:rows-rendered', { detail: { rows: items.length, tasks: tasks.length } });
    }
    if (!wholePlanMarked && complete && items.length > 0) {
      wholePlanMarked = true;
      performance.mark('gantt:whole-plan-rendered', { detail: { tasks: tasks.length } });
    }
  }, [items.length, tasks.length, complete]);

  const visibleLinks = useMemo(() => {
    const seen = new Map<string, ScheduleLink>();
    for (const item of items) for (const l of links.get(tasks[item.index].taskId) ?? []) seen.set(l.dependencyId, l);
    return [...seen.values()];
  }, [items, links, tasks]);

  const xOf = (date: string | null) => (date ? scale.x(date) : null);
  const todayX = xOf(today);
  const statusX = xOf(schedule.statusDate);

  return (
    // The chart is drawn for the eye (aria-hidden); the table beside it carries the same facts for screen readers.
    <div className="gantt-scroll" ref={scrollRef} tabIndex={0} role="region" aria-label="Gantt: the schedule's tasks by WBS, scrolls both ways">
      <div className="gantt-canvas" role="table" aria-rowcount={tasks.length + 1} aria-label="Tasks" style={{ width: `calc(var(--gantt-grid) + ${scale.width}px)` }}>
        <div className="gantt-head">
          <div className="gantt-grid-row gantt-grid-head" role="row" aria-rowindex={1}>
            <span role="columnheader">WBS</span>
            <span role="columnheader">Name</span>
            <span role="columnheader">Duration</span>
            <span role="columnheader" className="gantt-wide">Start</span>
            <span role="columnheader" className="gantt-wide">Finish</span>
            <span role="columnheader" className="gantt-wide">Total float</span>
          </div>
          <TimelineHead scale={scale} ticks={ticks} todayX={todayX} statusX={statusX} />
        </div>
        <div className="gantt-body" style={{ height }}>
          <div className="gantt-grid" style={{ height }}>
            {items.map((item) => (
              <GridRow key={tasks[item.index].taskId} task={tasks[item.index]} index={item.index} y={item.start} selected={tasks[item.index].taskId === selectedId} onSelect={onSelect} durationCell={durationCell} />
            ))}
          </div>
          <svg className="gantt-chart" width={scale.width} height={height} aria-hidden="true">
            <MinorTicks ticks={ticks.minor} height={height} />
            {items.map((item) => (
              <TaskBar key={tasks[item.index].taskId} task={tasks[item.index]} y={item.start} scale={scale} baseline={baseline.get(tasks[item.index].taskId)} />
            ))}
            {visibleLinks.map((l) => {
              const from = rowOf.get(l.predecessorId);
              const to = rowOf.get(l.successorId);
              const a = from === undefined ? null : barOf(tasks[from], scale);
              const b = to === undefined ? null : barOf(tasks[to], scale);
              if (!a || !b || from === undefined || to === undefined) return null;
              const critical = tasks[from].critical === true && tasks[to].critical === true;
              return <LinkLine key={l.dependencyId} type={l.type} critical={critical} d={linkPath(l.type, { ...a, row: from }, { ...b, row: to })} />;
            })}
            {todayX !== null && <line className="gantt-today" x1={todayX} x2={todayX} y1={0} y2={height} />}
            {statusX !== null && <line className="gantt-status" x1={statusX} x2={statusX} y1={0} y2={height} />}
            <defs>
              <marker id="gantt-arrow" viewBox="0 0 6 6" refX="6" refY="3" markerWidth="6" markerHeight="6" orient="auto">
                <path d="M0,0L6,3L0,6Z" />
              </marker>
            </defs>
          </svg>
        </div>
      </div>
    </div>
  );
}

// Rows, bars and links are memoised on plain props: while scrolling, only the rows that come into view render.
const GridRow = memo(function GridRow({ task: t, index, y, selected, onSelect, durationCell }: { task: ScheduleTask; index: number; y: number; selected: boolean; onSelect: (taskId: string) => void; durationCell: (task: ScheduleTask) => ReactNode }) {
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      data-task-id={t.taskId}
      data-critical={t.critical === true}
      className={`gantt-grid-row${t.kind === 'summary' ? ' summary' : ''}${selected ? ' selected' : ''}`}
      style={{ transform: `translateY(${y}px)` }}
    >
      <span role="cell">{t.wbsCode}</span>
      <span role="rowheader" style={{ paddingLeft: `${(t.outlineLevel - 1) * 0.75}rem` }}>
        <button type="button" className="gantt-name" onClick={() => onSelect(t.taskId)} title={t.name}>
          {t.kind === 'milestone' ? '◆ ' : ''}
          {t.name}
        </button>
      </span>
      <span role="cell">{durationCell(t)}</span>
      <span role="cell" className="gantt-wide">{t.start ?? '–'}</span>
      <span role="cell" className="gantt-wide">{t.finish ?? '–'}</span>
      <span role="cell" className="gantt-wide">
        {t.totalFloat === undefined ? '–' : `${t.totalFloat} d`}
        {t.critical && <span className="crit-tag"> critical</span>}
      </span>
    </div>
  );
});

const LinkLine = memo(function LinkLine({ type, critical, d }: { type: string; critical: boolean; d: string }) {
  return <path className={`gantt-link${critical ? ' critical' : ''}`} d={d} markerEnd="url(#gantt-arrow)" data-link-type={type} />;
});

const MinorTicks = memo(function MinorTicks({ ticks, height }: { ticks: readonly { x: number }[]; height: number }) {
  return (
    <>
      {ticks.map((t) => (
        <line key={t.x} className="gantt-minor" x1={t.x} x2={t.x} y1={0} y2={height} />
      ))}
    </>
  );
});

function TimelineHead({ scale, ticks, todayX, statusX }: { scale: TimeScale; ticks: ReturnType<typeof ticksOf>; todayX: number | null; statusX: number | null }) {
  return (
    <svg className="gantt-timeline" width={scale.width} height={ROW_HEIGHT} aria-hidden="true">
      {ticks.months.map((t) => (
        <g key={t.x}>
          <line x1={t.x} x2={t.x} y1={0} y2={ROW_HEIGHT} />
          <text x={t.x + 3} y={12}>
            {t.label}
          </text>
        </g>
      ))}
      {ticks.minor.map((t) =>
        t.label ? (
          <text key={t.x} x={t.x + 2} y={25} className="gantt-day">
            {t.label}
          </text>
        ) : null,
      )}
      {todayX !== null && <line className="gantt-today" x1={todayX} x2={todayX} y1={14} y2={ROW_HEIGHT} />}
      {statusX !== null && <line className="gantt-status" x1={statusX} x2={statusX} y1={14} y2={ROW_HEIGHT} />}
    </svg>
  );
}

const TaskBar = memo(function TaskBar({ task, y, scale, baseline }: { task: ScheduleTask; y: number; scale: TimeScale; baseline?: { start: string; finish: string } }) {
  const bar = barOf(task, scale);
  const base = baseline ? barOf({ ...task, start: baseline.start, finish: baseline.finish }, scale) : null;
  const cls = task.critical ? ' critical' : '';
  return (
    <g transform={`translate(0,${y})`} data-task-id={task.taskId}>
      {base && <rect className="gantt-baseline" x={base.x} y={20} width={base.width} height={4} />}
      {bar && task.kind === 'milestone' && <path className={`gantt-milestone${cls}`} d={`M${bar.x},7l7,7l-7,7l-7,-7Z`} />}
      {bar && task.kind === 'summary' && (
        <path className={`gantt-summary${cls}`} d={`M${bar.x},7h${bar.width}v9l-4,-4H${bar.x + 4}l-4,4Z`} />
      )}
      {bar && task.kind === 'task' && (
        <>
          <rect className={`gantt-bar${cls}`} x={bar.x} y={6} width={bar.width} height={12} rx={2} />
          {task.percentComplete > 0 && <rect className="gantt-progress" x={bar.x} y={10} width={(bar.width * task.percentComplete) / 100} height={4} />}
        </>
      )}
    </g>
  );
});
