import { useQuery } from '@tanstack/react-query';
import { api } from './api';
import type { PortfolioRisks } from './heat-maps.types';
import { ProblemMessage } from './problem-message';
import { Link, useLocation, withQuery } from './router';

/** The click-through of a risk heat-map cell: the open risks at one probability and impact, as of the same instant. */
export function PortfolioRisksScreen() {
  const { query } = useLocation();
  const probability = query.get('probability');
  const impact = query.get('impact');
  const asOf = query.get('asOf');
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ probability, impact, asOf })) if (v) params.set(k, v);
  const risks = useQuery({
    queryKey: ['portfolio-risks', probability, impact, asOf],
    queryFn: ({ signal }) => api<PortfolioRisks>(`/api/reporting/portfolio/risks?${params}`, { signal }),
  });
  return (
    <section aria-labelledby="portfolio-risks-title">
      <h1 id="portfolio-risks-title">
        Risks{probability && impact ? ` at probability ${probability}, impact ${impact}` : ''}
      </h1>
      <p>
        <Link to={withQuery('/portfolio', new URLSearchParams(), { asOf })}>Back to the portfolio</Link>
        {asOf ? ` (as it stood on ${new Date(asOf).toLocaleString()})` : ''}
      </p>
      {risks.isPending && <p>Loading the risks…</p>}
      {risks.isError && <ProblemMessage error={risks.error} onRetry={() => void risks.refetch()} />}
      {risks.data && risks.data.items.length === 0 && <p>No open risks here.</p>}
      {risks.data && risks.data.items.length > 0 && (
        <table className="portfolio-risks">
          <caption>{risks.data.total} risks</caption>
          <thead>
            <tr>
              <th scope="col">Risk</th>
              <th scope="col">Project</th>
              <th scope="col">Score</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {risks.data.items.map((r) => (
              <tr key={r.riskId}>
                <th scope="row">{r.title ?? r.riskId}</th>
                <td>{r.projectId ? <Link to={withQuery(`/projects/${r.projectId}`, new URLSearchParams(), { asOf })}>{r.projectName ?? r.projectId}</Link> : '–'}</td>
                <td>{r.score ?? '–'}{r.rating ? ` (${r.rating})` : ''}</td>
                <td>{r.status ?? '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
