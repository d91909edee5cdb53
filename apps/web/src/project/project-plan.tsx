import { useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import { ApiProblem } from '../api';
import { CommentThread } from '../inbox/comment-thread';
import { ProblemMessage } from '../problem-message';
import { Link, navigate, useLocation, withQuery } from '../router';
import { Gantt } from './gantt';
import type { BaselineDates } from './gantt';
import type { Zoom } from './gantt-geometry';
import { planningPath, useBaseline, useScheduleCommand, useScheduleProgressively } from './schedule-api';
import { useSelectedBaseline } from './selected-baseline';
import type { ScheduleTask } from './schedule.types';
import { TaskLinks } from './task-links';

interface DurationDraft {
  readonly taskId: string;
  readonly text: string;
}

/** The schedule of a project: the Gantt with its inline duration editor, the selected task's links, export. */
export function ProjectPlan({ projectId }: { projectId: string }) {
  const { whole: schedule, data } = useScheduleProgressively(projectId);
  const baselineNumber = useSelectedBaseline();
  const baseline = useBaseline(projectId, baselineNumber);
  const command = useScheduleCommand(projectId);
  const [zoom, setZoom] = useState<Zoom>('week');
  // The selected task is in the URL (`?task=`): a link can open a task's panel and its comments.
  const { pathname, query } = useLocation();
  const selectedId = query.get('task');
  const setSelectedId = (taskId: string | null) => navigate(withQuery(pathname, query, { task: taskId }), { replace: true });
  const [draft, setDraft] = useState<DurationDraft | null>(null);
  const [refusal, setRefusal] = useState<unknown>(null);

  const baselineDates: BaselineDates = useMemo(
    () => new Map((baseline.data?.tasks ?? []).filter((t) => t.start.baseline && t.finish.baseline).map((t) => [t.taskId, { start: t.start.baseline, finish: t.finish.baseline }])),
    [baseline.data],
  );

  if (schedule.isError) {
    if (schedule.error instanceof ApiProblem && schedule.error.code === 'SCHEDULE_NOT_OPEN') {
      return (
        <p>
          This project has no schedule yet. <Link to={`/import?project=${encodeURIComponent(projectId)}`}>Import a Microsoft Project file</Link> to start one.
        </p>
      );
    }
    return <ProblemMessage error={schedule.error} onRetry={() => void schedule.refetch()} />;
  }
  if (!data) return <p>Loading the schedule…</p>;
  const selected = data.tasks.find((t) => t.taskId === selectedId) ?? null;

  const saveDuration = (e: FormEvent, task: ScheduleTask) => {
    e.preventDefault();
    if (!draft) return;
    const value = Number(draft.text);
    setRefusal(null);
    command.mutate(
      // A value the browser cannot read as a number still goes: the service's refusal names the field in words.
      { method: 'PATCH', path: `/tasks/${encodeURIComponent(task.taskId)}`, body: { durationDays: draft.text.trim() === '' || Number.isNaN(value) ? draft.text : value } },
      { onSuccess: () => setDraft(null), onError: (err) => setRefusal(err) },
    );
  };

  const durationCell = (t: ScheduleTask) => {
    if (t.kind === 'summary') return `${t.durationDays} d`;
    if (draft?.taskId === t.taskId) {
      return (
        <form className="gantt-duration-form" onSubmit={(e) => saveDuration(e, t)}>
          <input
            aria-label={`Duration of ${t.name} in working days`}
            inputMode="decimal"
            value={draft.text}
            autoFocus
            disabled={command.isPending}
            onChange={(e) => setDraft({ taskId: t.taskId, text: e.target.value })}
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                setDraft(null);
                setRefusal(null);
              }
            }}
          />
        </form>
      );
    }
    return (
      <button type="button" className="gantt-duration" aria-label={`${t.durationDays} d: change the duration of ${t.name} (working days)`} onClick={() => setDraft({ taskId: t.taskId, text: String(t.durationDays) })}>
        {t.durationDays} d
      </button>
    );
  };

  return (
    <section aria-labelledby="plan-title" className="plan">
      <h2 id="plan-title">Schedule</h2>
      <div className="plan-bar">
        <p className="plan-dates">
          {data.page?.next ? `first ${data.tasks.length} tasks (the rest is loading)` : `${data.tasks.length} tasks`} · start {data.projectStart} · finish {data.projectFinish} · status date {data.statusDate ?? 'not set'}
        </p>
        <label>
          Scale{' '}
          <select value={zoom} onChange={(e) => setZoom(e.target.value as Zoom)}>
            <option value="day">Days</option>
            <option value="week">Weeks</option>
            <option value="month">Months</option>
          </select>
        </label>
        <a className="button-link" href={planningPath(projectId, '/schedule/export')} download={`${projectId}.xml`}>
          Export to Microsoft Project XML
        </a>
      </div>
      <ul className="gantt-legend" aria-label="Legend">
        <li><span className="swatch bar" /> task</li>
        <li><span className="swatch critical" /> critical path</li>
        <li><span className="swatch baseline" /> baseline {baselineNumber}</li>
        <li><span className="swatch today" /> today</li>
        <li><span className="swatch status" /> status date</li>
      </ul>
      {command.isPending && <p role="status">Recalculating the schedule…</p>}
      {refusal !== null && <ProblemMessage error={refusal} />}
      <Gantt schedule={data} baseline={baselineDates} zoom={zoom} selectedId={selectedId} onSelect={setSelectedId} durationCell={durationCell} />
      {selected && (
        <>
          <TaskLinks task={selected} schedule={data} command={command} onClose={() => setSelectedId(null)} />
          <section className="task-panel" aria-labelledby="task-comments-title">
            <h3 id="task-comments-title">
              Comments on “{selected.wbsCode} {selected.name}”
            </h3>
            {/* Keyed by task: a draft belongs to the task it was typed for. */}
            <CommentThread key={selected.taskId} projectId={projectId} on={{ kind: 'task', id: selected.taskId }} />
          </section>
        </>
      )}
    </section>
  );
}
