import { useQuery } from '@tanstack/react-query';
import { api, ApiProblem } from './api';
import { AsOfPicker } from './as-of-picker';
import type { ProjectView } from './portfolio.types';
import { ProblemMessage } from './problem-message';
import { EarnedValuePanel, GovernancePanel, VariancePanel } from './project/project-panels';
import { ProjectPlan } from './project/project-plan';
import { useScheduleObserved } from './project/schedule-api';
import { formatRatio, RagBadge } from './rag';
import { Link, navigate, useLocation, withQuery } from './router';

const money = (n: number | null | undefined, currency: string | null) =>
  n === null || n === undefined ? '–' : new Intl.NumberFormat(undefined, { style: 'currency', currency: currency ?? 'EUR', maximumFractionDigits: 0 }).format(n);

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <div className="figure">
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

/** One project as the portfolio shows it: figures, health with reasons, next milestones; now or as of an instant. */
export function ProjectScreen({ projectId }: { projectId: string }) {
  const { pathname, query } = useLocation();
  const asOf = query.get('asOf');
  const view = useQuery({
    queryKey: ['project', projectId, asOf],
    queryFn: ({ signal }) => api<ProjectView>(`/api/reporting/projects/${encodeURIComponent(projectId)}${asOf ? `?asOf=${encodeURIComponent(asOf)}` : ''}`, { signal }),
    // Reporting follows planning through the broker: a project just created or imported is there seconds later.
    refetchInterval: (q) => (!asOf && q.state.error instanceof ApiProblem && q.state.error.code === 'PROJECT_NOT_FOUND' ? 3000 : false),
  });
  const planned = useScheduleObserved(projectId).isSuccess;
  const catchingUp = planned && view.error instanceof ApiProblem && view.error.code === 'PROJECT_NOT_FOUND';
  const p = view.data?.project;
  return (
    <section aria-labelledby="project-title">
      <p>
        <Link to={withQuery('/portfolio', new URLSearchParams(), { asOf })}>← Portfolio</Link>
      </p>
      <h1 id="project-title">{p ? (p.name ?? p.projectId) : 'Project'}</h1>
      <AsOfPicker asOf={asOf} onChange={(iso) => navigate(withQuery(pathname, query, { asOf: iso }), { replace: true })} />
      {view.isPending && <p>Loading the project…</p>}
      {catchingUp && <p role="status">The portfolio figures have not caught up with this project yet; they appear here within seconds.</p>}
      {view.isError && !catchingUp && <ProblemMessage error={view.error} onRetry={() => void view.refetch()} />}
      <ProjectPlan projectId={projectId} />
      {p && (
        <>
          <dl className="figures">
            <Figure label="Status" value={p.status ?? '–'} />
            <Figure label="Phase" value={p.phase ?? '–'} />
            <Figure label="Priority" value={p.priority ?? '–'} />
            <Figure label="Start" value={p.startDate ?? '–'} />
            <Figure label="Target finish" value={p.targetFinishDate ?? '–'} />
            <Figure label="Forecast finish" value={p.finish ?? '–'} />
            <Figure label="Budget at completion" value={money(p.schedule?.bac, p.currency)} />
            <Figure label="Planned value" value={money(p.schedule?.pv, p.currency)} />
            <Figure label="Earned value" value={money(p.schedule?.ev, p.currency)} />
            <Figure label="Actual cost" value={money(p.schedule?.ac, p.currency)} />
            <Figure label="Estimate at completion" value={money(p.schedule?.eac, p.currency)} />
            <Figure label="SPI" value={formatRatio(p.spi)} />
            <Figure label="CPI" value={formatRatio(p.cpi)} />
            <Figure label="Open risks / issues" value={p.risk ? `${p.risk.openRisks} / ${p.risk.openIssues}` : '–'} />
            <Figure label="P80 finish" value={p.risk?.p80Finish ?? '–'} />
            <Figure label="Change requests pending" value={String(p.pendingChangeRequests)} />
          </dl>
          <h2>Health</h2>
          <ul className="health">
            <li>Schedule <RagBadge rag={p.health.schedule} /></li>
            <li>Cost <RagBadge rag={p.health.cost} /></li>
            <li>Risk <RagBadge rag={p.health.risk} /></li>
            <li>Overall <RagBadge rag={p.health.overall} /></li>
          </ul>
          {p.health.reasons.length > 0 ? (
            <ul className="reasons">
              {p.health.reasons.map((r) => (
                <li key={`${r.dimension}-${r.code}`}>
                  <strong>{r.dimension}</strong>: {r.message}
                </li>
              ))}
            </ul>
          ) : (
            <p>No reasons for concern recorded.</p>
          )}
          <h2>Next milestones</h2>
          {p.nextMilestones.length === 0 ? (
            <p>None.</p>
          ) : (
            <ul>
              {p.nextMilestones.map((m) => (
                <li key={m.taskId}>
                  {m.name ?? m.taskId}: {m.forecastFinish ?? '–'}
                  {m.overdue ? ' (overdue)' : ''}
                  {m.slipDays ? `, slipped ${m.slipDays} days` : ''}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      <EarnedValuePanel projectId={projectId} />
      <VariancePanel projectId={projectId} />
      <GovernancePanel projectId={projectId} pendingChangeRequests={p?.pendingChangeRequests ?? null} />
    </section>
  );
}
