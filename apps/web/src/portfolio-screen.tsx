import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { ReactNode } from 'react';
import { api } from './api';
import { AsOfPicker } from './as-of-picker';
import { NewProjectForm } from './new-project-form';
import { PortfolioHeatMaps } from './portfolio-heat-maps';
import type { PortfolioPage } from './portfolio.types';
import { HEALTHS, SORTS, STATUSES } from './portfolio.types';
import { ProblemMessage } from './problem-message';
import { formatRatio, RagBadge } from './rag';
import { Link, navigate, useLocation, withQuery } from './router';

const PAGE_SIZE = 25;

export function portfolioPath(query: { status?: string | null; health?: string | null; sort?: string | null; asOf?: string | null; cursor?: string | null }): string {
  const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
  for (const [key, value] of Object.entries(query)) if (value) params.set(key, value);
  return `/api/reporting/portfolio?${params}`;
}

/** A label tied to its control by id, so the control's name is the label alone (not the label plus its options). */
function Field({ label, children }: { label: string; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children(id)}
    </div>
  );
}

/**
 * A tenant with no project yet (a newcomer's first screen): say how to get one rather than an empty table. The demo
 * portfolio is seeded by `npm start` into tenant `demo` while that tenant has no project (ADR 0505 amendment); the hint
 * names it, in words, for whoever signed in to another tenant or started with `--no-demo`.
 */
function EmptyPortfolio() {
  return (
    <div className="card empty-portfolio">
      <p>
        <strong>No projects in this organisation yet.</strong> Create one below, or <Link to="/import">import a Microsoft Project plan</Link>.
      </p>
      <p>
        On a development machine, <code>npm start</code> seeds a demo portfolio (20 projects with plans, baselines, progress, people
        and risks) into tenant <code>demo</code> while it has no project (<code>npm start -- --no-demo</code> skips it): sign in there
        to look around.
      </p>
    </div>
  );
}

export function PortfolioScreen() {
  const { pathname, query } = useLocation();
  const status = query.get('status');
  const health = query.get('health');
  const sort = query.get('sort') ?? 'name';
  const asOf = query.get('asOf');
  // Cursors of the pages before this one; a change of filter starts again at the first page.
  const filterKey = `${status}|${health}|${sort}|${asOf}`;
  const [paging, setPaging] = useState<{ key: string; cursors: (string | null)[] }>({ key: filterKey, cursors: [null] });
  const cursors = paging.key === filterKey ? paging.cursors : [null];
  const cursor = cursors[cursors.length - 1];
  const portfolio = useQuery({
    queryKey: ['portfolio', status, health, sort, asOf, cursor],
    queryFn: ({ signal }) => api<PortfolioPage>(portfolioPath({ status, health, sort, asOf, cursor }), { signal }),
    placeholderData: keepPreviousData,
    // The present moves (events arrive); a past instant does not.
    refetchInterval: asOf ? false : 5_000,
  });
  const set = (changes: Record<string, string | null>) => navigate(withQuery(pathname, query, changes), { replace: true });

  return (
    <section aria-labelledby="portfolio-title">
      <h1 id="portfolio-title">Portfolio</h1>
      <div className="toolbar">
        <Field label="Status">
          {(id) => (
            <select id={id} value={status ?? ''} onChange={(e) => set({ status: e.target.value })}>
              <option value="">All</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Health">
          {(id) => (
            <select id={id} value={health ?? ''} onChange={(e) => set({ health: e.target.value })}>
              <option value="">All</option>
              {HEALTHS.map((h) => (
                <option key={h} value={h}>
                  {h}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Sort by">
          {(id) => (
            <select id={id} value={sort} onChange={(e) => set({ sort: e.target.value === 'name' ? null : e.target.value })}>
              {Object.entries(SORTS).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <AsOfPicker asOf={asOf} onChange={(iso) => set({ asOf: iso })} />
      </div>
      {portfolio.data && (
        <p className="current-to" aria-live="polite">
          {asOf ? `As it stood on ${new Date(asOf).toLocaleString()}` : 'Now'}
          {portfolio.data.currentTo ? `, current to the event recorded ${new Date(portfolio.data.currentTo.recordedAt).toLocaleString()}` : ', no events yet'}
        </p>
      )}
      {portfolio.isPending && <p>Loading the portfolio…</p>}
      {portfolio.isError && <ProblemMessage error={portfolio.error} onRetry={() => void portfolio.refetch()} />}
      {portfolio.data && portfolio.data.items.length === 0 && (status || health || asOf || cursor ? <p>No projects match{asOf ? ' at that time' : ''}.</p> : <EmptyPortfolio />)}
      {portfolio.data && portfolio.data.items.length > 0 && (
        <table className="portfolio">
          <caption className="visually-hidden">Projects with their health per dimension</caption>
          <thead>
            <tr>
              <th scope="col">Project</th>
              <th scope="col">Status</th>
              <th scope="col">Schedule</th>
              <th scope="col">Cost</th>
              <th scope="col">Risk</th>
              <th scope="col">Overall</th>
              <th scope="col">SPI</th>
              <th scope="col">CPI</th>
              <th scope="col">Finish</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {portfolio.data.items.map((p) => (
              <tr key={p.projectId}>
                <th scope="row" data-label="Project">
                  <Link to={withQuery(`/projects/${p.projectId}`, new URLSearchParams(), { asOf })}>{p.name ?? p.projectId}</Link>
                  {p.code && <span className="code"> {p.code}</span>}
                </th>
                <td data-label="Status">{p.status ?? '–'}</td>
                <td data-label="Schedule"><RagBadge rag={p.health.schedule} dimension="Schedule" /></td>
                <td data-label="Cost"><RagBadge rag={p.health.cost} dimension="Cost" /></td>
                <td data-label="Risk"><RagBadge rag={p.health.risk} dimension="Risk" /></td>
                <td data-label="Overall"><RagBadge rag={p.health.overall} dimension="Overall" /></td>
                <td data-label="SPI">{formatRatio(p.spi)}</td>
                <td data-label="CPI">{formatRatio(p.cpi)}</td>
                <td data-label="Finish">{p.finish ?? '–'}</td>
                <td data-label="Why">
                  {p.health.reasons.length === 0 ? '–' : (
                    <ul className="reasons">
                      {p.health.reasons.map((r) => (
                        <li key={`${r.dimension}-${r.code}`}>{r.message}</li>
                      ))}
                    </ul>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="pager">
        <button type="button" disabled={cursors.length <= 1} onClick={() => setPaging({ key: filterKey, cursors: cursors.slice(0, -1) })}>
          Previous page
        </button>
        <span>Page {cursors.length}</span>
        <button type="button" disabled={!portfolio.data?.next} onClick={() => setPaging({ key: filterKey, cursors: [...cursors, portfolio.data?.next ?? null] })}>
          Next page
        </button>
      </div>
      <PortfolioHeatMaps asOf={asOf} />
      {!asOf && <NewProjectForm />}
    </section>
  );
}
