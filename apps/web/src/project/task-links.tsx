import { useState } from 'react';
import type { FormEvent } from 'react';
import { ProblemMessage } from '../problem-message';
import type { useScheduleCommand } from './schedule-api';
import type { LinkType, Schedule, ScheduleTask } from './schedule.types';

const TYPES: readonly LinkType[] = ['FS', 'SS', 'FF', 'SF'];
const TYPE_WORDS: Record<LinkType, string> = { FS: 'finish-to-start', SS: 'start-to-start', FF: 'finish-to-finish', SF: 'start-to-finish' };

/** The selected task: its dates and floats, its predecessors and successors; change a lag, remove or add a link. */
export function TaskLinks({ task, schedule, command, onClose }: { task: ScheduleTask; schedule: Schedule; command: ReturnType<typeof useScheduleCommand>; onClose: () => void }) {
  const [pred, setPred] = useState('');
  const [type, setType] = useState<LinkType>('FS');
  const [lag, setLag] = useState('0');
  const [lags, setLags] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const byId = new Map(schedule.tasks.map((t) => [t.taskId, t]));
  const label = (id: string) => {
    const t = byId.get(id);
    return t ? `${t.wbsCode} ${t.name}` : id;
  };
  const links = schedule.dependencies.filter((l) => l.predecessorId === task.taskId || l.successorId === task.taskId);
  const run = (cmd: Parameters<typeof command.mutate>[0], done?: () => void) => {
    setError(null);
    command.mutate(cmd, { onSuccess: () => done?.(), onError: setError });
  };
  const add = (e: FormEvent) => {
    e.preventDefault();
    const predecessor = schedule.tasks.find((t) => t.wbsCode === pred.trim());
    // An unknown WBS code goes as typed: the service answers with a named problem, and the form keeps the text.
    run({ method: 'POST', path: '/dependencies', body: { predecessorId: predecessor?.taskId ?? pred.trim(), successorId: task.taskId, type, lagDays: Number(lag) } }, () => setPred(''));
  };

  return (
    <section className="task-panel" aria-labelledby="task-panel-title">
      <h3 id="task-panel-title">
        {task.wbsCode} {task.name}
      </h3>
      <button type="button" onClick={onClose}>
        Close
      </button>
      <dl className="figures">
        <div className="figure"><dt>Early start / finish</dt><dd>{task.earlyStart ?? '–'} / {task.earlyFinish ?? '–'}</dd></div>
        <div className="figure"><dt>Late start / finish</dt><dd>{task.lateStart ?? '–'} / {task.lateFinish ?? '–'}</dd></div>
        <div className="figure"><dt>Total / free float</dt><dd>{task.totalFloat ?? '–'} / {task.freeFloat ?? '–'} d</dd></div>
        <div className="figure"><dt>Critical</dt><dd>{task.critical ? 'yes' : 'no'}</dd></div>
      </dl>
      {error !== null && <ProblemMessage error={error} />}
      <h4>Links</h4>
      {links.length === 0 ? (
        <p>No links.</p>
      ) : (
        <ul className="task-links">
          {links.map((l) => (
            <li key={l.dependencyId}>
              <span>
                {label(l.predecessorId)} → {label(l.successorId)}: {TYPE_WORDS[l.type]} ({l.type}), lag {l.lagDays} d
              </span>
              <form
                onSubmit={(e) => {
                  e.preventDefault();
                  run({ method: 'PATCH', path: `/dependencies/${encodeURIComponent(l.dependencyId)}`, body: { lagDays: Number(lags[l.dependencyId] ?? l.lagDays) } });
                }}
              >
                <label>
                  Lag (working days)
                  <input inputMode="decimal" value={lags[l.dependencyId] ?? String(l.lagDays)} onChange={(e) => setLags({ ...lags, [l.dependencyId]: e.target.value })} />
                </label>
                <button type="submit" disabled={command.isPending}>Change lag</button>
                <button type="button" disabled={command.isPending} onClick={() => run({ method: 'DELETE', path: `/dependencies/${encodeURIComponent(l.dependencyId)}` })}>
                  Remove
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
      <form className="add-link" onSubmit={add}>
        <label>
          Predecessor (WBS code)
          <input value={pred} onChange={(e) => setPred(e.target.value)} required />
        </label>
        <label>
          Type
          <select value={type} onChange={(e) => setType(e.target.value as LinkType)}>
            {TYPES.map((t) => (
              <option key={t} value={t}>
                {t}: {TYPE_WORDS[t]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Lag (working days)
          <input inputMode="decimal" value={lag} onChange={(e) => setLag(e.target.value)} />
        </label>
        <button type="submit" disabled={command.isPending}>
          Add link
        </button>
      </form>
    </section>
  );
}
