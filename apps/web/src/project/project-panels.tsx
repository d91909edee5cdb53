import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import { api, ApiProblem } from '../api';
import { ProblemMessage } from '../problem-message';
import { ChangeRequestList } from './change-requests';
import { navigate, useLocation, withQuery } from '../router';
import { planningPath, useBaseline, useScheduleCommand, useScheduleObserved } from './schedule-api';
import { BASELINE_NUMBERS, useSelectedBaseline } from './selected-baseline';
import type { EarnedValueView, PlanningProject, SCurve } from './schedule.types';

const SCurveChart = lazy(() => import('./s-curve-chart'));

const num = (n: number | null | undefined, digits = 0) => (n === null || n === undefined ? '–' : n.toLocaleString('en-GB', { maximumFractionDigits: digits }));

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <div className="figure">
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

const notFoundAs = <T,>(codes: readonly string[], then: T) => (e: unknown): T => {
  if (e instanceof ApiProblem && codes.includes(e.code)) return then;
  throw e;
};

/** Earned value at the status date against baseline 0, and the S-curve the reporting service keeps. */
export function EarnedValuePanel({ projectId }: { projectId: string }) {
  // The schedule's status date, from the Gantt's query once the whole plan is in (earned value waits for it, so the
  // first rows have planning to themselves); today while none is set.
  const schedule = useScheduleObserved(projectId);
  const statusDate = schedule.data?.statusDate ?? new Date().toISOString().slice(0, 10);
  const evm = useQuery({
    queryKey: ['evm', projectId, statusDate],
    enabled: (schedule.isSuccess || schedule.isError) && /^\d{4}-\d{2}-\d{2}$/.test(statusDate),
    queryFn: ({ signal }) => api<EarnedValueView>(planningPath(projectId, `/evm?statusDate=${statusDate}&baseline=0`), { signal }).catch(notFoundAs(['BASELINE_NOT_FOUND', 'SCHEDULE_NOT_OPEN'], null)),
  });
  // Reporting learns of a project from planning's events: until then (seconds) it has no curve to show.
  const curve = useQuery({
    queryKey: ['s-curve', projectId],
    queryFn: ({ signal }) => api<SCurve>(`/api/reporting/projects/${encodeURIComponent(projectId)}/s-curve`, { signal }).catch(notFoundAs(['PROJECT_NOT_FOUND'], { currency: null, interval: 'week', points: [] } satisfies SCurve)),
  });
  const p = evm.data?.project;
  return (
    <section aria-labelledby="evm-title" className="panel">
      <h2 id="evm-title">Earned value at {statusDate}</h2>
      {evm.isError && <ProblemMessage error={evm.error} />}
      {evm.data === null && <p>No baseline saved yet (or no schedule): earned value needs baseline 0.</p>}
      {p && (
        <dl className="figures">
          <Figure label="BAC" value={num(p.bac)} />
          <Figure label="PV" value={num(p.pv)} />
          <Figure label="EV" value={num(p.ev)} />
          <Figure label="AC" value={num(p.ac)} />
          <Figure label="SV" value={num(p.sv)} />
          <Figure label="CV" value={num(p.cv)} />
          <Figure label="SPI" value={num(p.spi, 2)} />
          <Figure label="CPI" value={num(p.cpi, 2)} />
          <Figure label="EAC (CPI)" value={num(p.eac.atCurrentCpi)} />
          <Figure label="VAC (CPI)" value={num(p.vac.atCurrentCpi)} />
          <Figure label="TCPI to BAC" value={num(p.tcpiToBac, 2)} />
        </dl>
      )}
      <h3>S-curve</h3>
      {curve.isError && <ProblemMessage error={curve.error} />}
      {curve.data && curve.data.points.length === 0 && <p>No curve yet: it starts with the first baseline.</p>}
      {curve.data && curve.data.points.length > 0 && (
        <Suspense fallback={<p>Drawing the S-curve…</p>}>
          <SCurveChart curve={curve.data} />
        </Suspense>
      )}
    </section>
  );
}

const baselineName = (n: number) => (n === 0 ? 'Baseline 0' : `Baseline ${n}`);

/**
 * Saves the current plan as a baseline (Microsoft Project's Set Baseline): planning takes the engine's dates, work and
 * cost itself. Saving over a saved baseline needs the box ticked; without it planning's refusal is shown in words.
 */
function SaveBaseline({ projectId, selected }: { projectId: string; selected: number }) {
  const command = useScheduleCommand(projectId);
  const [overwrite, setOverwrite] = useState(false);
  const [saved, setSaved] = useState<number | null>(null);
  const save = () => {
    setSaved(null);
    command.mutate({ method: 'PUT', path: `/baselines/${selected}`, body: { overwrite } }, { onSuccess: () => setSaved(selected) });
  };
  return (
    <div className="baseline-save">
      <label className="inline">
        <input type="checkbox" checked={overwrite} onChange={(e) => setOverwrite(e.target.checked)} /> Replace {baselineName(selected)} if it was saved
      </label>{' '}
      <button type="button" onClick={save} disabled={command.isPending}>
        {command.isPending ? 'Saving…' : `Save the current plan as ${baselineName(selected)}`}
      </button>
      {saved !== null && !command.isPending && <p role="status">{baselineName(saved)} saved.</p>}
      {command.isError && <ProblemMessage error={command.error} />}
    </div>
  );
}

/** A baseline (chosen in the panel, 0 by default) against the current plan: the variance and the tasks that slipped most. */
export function VariancePanel({ projectId }: { projectId: string }) {
  const selected = useSelectedBaseline();
  const { pathname, query } = useLocation();
  const variance = useBaseline(projectId, selected);
  const slipped = [...(variance.data?.tasks ?? [])].sort((a, b) => b.finish.variance - a.finish.variance).slice(0, 8);
  const p = variance.data?.project;
  return (
    <section aria-labelledby="variance-title" className="panel">
      <h2 id="variance-title">{baselineName(selected)} and variance</h2>
      <label className="baseline-pick">
        Compare with{' '}
        <select value={selected} onChange={(e) => navigate(withQuery(pathname, query, { baseline: e.target.value === '0' ? null : e.target.value }), { replace: true })}>
          {BASELINE_NUMBERS.map((n) => (
            <option key={n} value={n}>
              {baselineName(n)}
            </option>
          ))}
        </select>
      </label>
      <SaveBaseline projectId={projectId} selected={selected} />
      {variance.isError && <ProblemMessage error={variance.error} />}
      {variance.data === null && <p>No {baselineName(selected)} saved yet.</p>}
      {p && (
        <dl className="figures">
          <Figure label="Baseline finish" value={p.finish.baseline} />
          <Figure label="Current finish" value={p.finish.current} />
          <Figure label="Finish variance" value={`${p.finish.variance} d`} />
          <Figure label="Duration variance" value={`${p.durationDays.variance} d`} />
          <Figure label="Cost variance" value={num(p.cost.variance)} />
        </dl>
      )}
      {slipped.length > 0 && (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Largest finish variance">
        <table className="compact">
          <caption>Largest finish variance</caption>
          <thead>
            <tr><th scope="col">WBS</th><th scope="col">Task</th><th scope="col">Baseline finish</th><th scope="col">Finish</th><th scope="col">Variance</th></tr>
          </thead>
          <tbody>
            {slipped.map((t) => (
              <tr key={t.taskId}>
                <td>{t.wbsCode}</td><td>{t.name}</td><td>{t.finish.baseline}</td><td>{t.finish.current}</td><td>{t.finish.variance} d</td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      )}
    </section>
  );
}

/** The phase and its gate (request one); the project's change requests with their impact. */
export function GovernancePanel({ projectId, pendingChangeRequests }: { projectId: string; pendingChangeRequests: number | null }) {
  const project = useQuery({ queryKey: ['planning-project', projectId], queryFn: ({ signal }) => api<PlanningProject>(planningPath(projectId), { signal }) });
  const qc = useQueryClient();
  const [note, setNote] = useState('');
  const gate = useMutation({
    mutationFn: () => api(planningPath(projectId, '/phase-gates'), { method: 'POST', body: { note } }),
    onSuccess: () => {
      setNote('');
      void qc.invalidateQueries({ queryKey: ['planning-project', projectId] });
    },
  });
  const record = project.data?.state.project;
  // A project planning does not know: the page's heading already says so in words; nothing to govern here. Until
  // planning has answered, neither this panel nor its change requests show (they would repeat that refusal meanwhile).
  if (project.isPending || (project.error instanceof ApiProblem && project.error.code === 'PROJECT_NOT_FOUND')) return null;
  return (
    <section aria-labelledby="governance-title" className="panel">
      <h2 id="governance-title">Phase gates and change requests</h2>
      {project.isError && <ProblemMessage error={project.error} />}
      {project.data && (
        <dl className="figures">
          <Figure label="Phase" value={project.data.status} />
          <Figure label="Gate to the next phase" value={record?.pendingGateId ? 'requested, awaiting decision' : 'none pending'} />
          <Figure label="Change requests pending" value={pendingChangeRequests === null ? '–' : String(pendingChangeRequests)} />
        </dl>
      )}
      {project.data && !record?.pendingGateId && (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            gate.mutate();
          }}
        >
          <label>
            Gate note
            <input value={note} onChange={(e) => setNote(e.target.value)} required />
          </label>
          <button type="submit" disabled={gate.isPending}>
            Request the gate to the next phase
          </button>
        </form>
      )}
      {gate.isError && <ProblemMessage error={gate.error} />}
      {project.data && record?.pendingGateId && <GateDecision projectId={projectId} gateId={record.pendingGateId} />}
      <ChangeRequestList projectId={projectId} />
    </section>
  );
}

/**
 * Approve or reject the pending gate (planning allows it to the PMO and the sponsor; anyone else's attempt is refused
 * in words and the comment stays). One field: a comment when approving, the reason (required) when rejecting.
 */
function GateDecision({ projectId, gateId }: { projectId: string; gateId: string }) {
  const qc = useQueryClient();
  const [text, setText] = useState('');
  const decide = useMutation({
    mutationFn: (verdict: 'approve' | 'reject') =>
      api(planningPath(projectId, `/phase-gates/${encodeURIComponent(gateId)}/${verdict}`), {
        method: 'POST',
        body: verdict === 'reject' ? { reason: text } : text.trim() ? { comment: text } : {},
      }),
    onSuccess: () => {
      setText('');
      void qc.invalidateQueries({ queryKey: ['planning-project', projectId] });
    },
  });
  return (
    <form
      className="inline-form"
      aria-label="Decide the pending gate"
      onSubmit={(e) => {
        e.preventDefault();
        decide.mutate('approve');
      }}
    >
      <label>
        Comment, or the reason for rejecting
        <input value={text} onChange={(e) => setText(e.target.value)} />
      </label>
      <button type="submit" disabled={decide.isPending}>
        Approve the gate
      </button>
      <button type="button" className="secondary" disabled={decide.isPending} onClick={() => decide.mutate('reject')}>
        Reject the gate
      </button>
      {decide.isError && <ProblemMessage error={decide.error} />}
    </form>
  );
}
