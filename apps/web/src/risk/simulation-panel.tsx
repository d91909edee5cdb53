import { useMutation, useQuery } from '@tanstack/react-query';
import { api } from '../api';
import { ProblemMessage } from '../problem-message';
import { navigate, useLocation, withQuery } from '../router';
import type { SimulationJob } from './risk.types';
import { SimulationCharts } from './simulation-charts';

const DONE = new Set(['succeeded', 'failed', 'cancelled']);

/**
 * Monte Carlo schedule risk (ADR 0300/0304): a run is a job; its id lives in the URL (`?simulation=`) so the result can
 * be shared and survives a reload. The page polls the job until it is done, then draws its result.
 */
export function SimulationPanel({ projectId }: { projectId: string }) {
  const { pathname, query } = useLocation();
  const jobId = query.get('simulation');
  const base = `/api/risk/projects/${encodeURIComponent(projectId)}/schedule-risk/simulations`;
  const run = useMutation({
    mutationFn: () => api<{ id: string }>(base, { method: 'POST', body: { iterations: 2000 } }),
    onSuccess: (job) => navigate(withQuery(pathname, query, { simulation: job.id }), { replace: true }),
  });
  const job = useQuery({
    queryKey: ['simulation', projectId, jobId],
    enabled: jobId !== null && /^[0-9a-f-]{36}$/i.test(jobId),
    queryFn: ({ signal }) => api<SimulationJob>(`${base}/${encodeURIComponent(jobId ?? '')}`, { signal }),
    refetchInterval: (q) => (q.state.data && DONE.has(q.state.data.state) ? false : 1_000),
  });
  return (
    <section aria-labelledby="simulation-title" className="panel">
      <h2 id="simulation-title">Schedule risk (Monte Carlo)</h2>
      <p>
        <button type="button" onClick={() => run.mutate()} disabled={run.isPending}>
          Run simulation
        </button>{' '}
        <span>2,000 iterations of the current plan with each task's three-point estimate or the tenant's default spread.</span>
      </p>
      {run.isError && <ProblemMessage error={run.error} />}
      {job.isError && <ProblemMessage error={job.error} onRetry={() => void job.refetch()} />}
      {job.data && !DONE.has(job.data.state) && (
        <p role="status">
          Simulating… {job.data.progress ? `${job.data.progress.done} of ${job.data.progress.total} iterations` : job.data.state}
        </p>
      )}
      {job.data?.state === 'failed' && (
        <div className="problem" role="alert">
          <p className="problem-what">The simulation failed{job.data.error?.message ? `: ${job.data.error.message}` : '.'}</p>
          <p className="problem-todo">Check that the project has a schedule with tasks, then run it again.</p>
        </div>
      )}
      {job.data?.state === 'succeeded' && job.data.result && <SimulationCharts result={job.data.result} />}
    </section>
  );
}
