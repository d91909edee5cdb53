import '../charts/screens.css';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api';
import { CommentThread } from '../inbox/comment-thread';
import { ProblemMessage } from '../problem-message';
import { ProjectPicker, useSelectedProject } from '../project-picker/project-picker';
import { navigate, useLocation, withQuery } from '../router';
import { RiskMatrix } from './risk-matrix';
import { Evidence, RiskRegister, RiskSubject } from './risk-register';
import { useSubjectNames } from './risk-subject';
import type { MatrixCell, RiskPage } from './risk.types';
import { SimulationPanel } from './simulation-panel';

const STATUSES = ['identified', 'assessed', 'responding', 'monitoring', 'occurred', 'closed'];
const RATINGS = ['low', 'medium', 'high', 'critical'];
const FILTERS = ['status', 'rating', 'ownerId', 'categoryId'] as const;

export function RiskScreen() {
  const projectId = useSelectedProject();
  return (
    <section aria-labelledby="risk-title">
      <h1 id="risk-title">Risk</h1>
      <div className="toolbar">
        <ProjectPicker />
      </div>
      {projectId ? <ProjectRisks projectId={projectId} /> : <p>Choose a project to see its risk register, matrix and schedule risk.</p>}
    </section>
  );
}

function ProjectRisks({ projectId }: { projectId: string }) {
  const { pathname, query } = useLocation();
  const set = (changes: Record<string, string | null>) => navigate(withQuery(pathname, query, changes), { replace: true });
  const base = `/api/risk/projects/${encodeURIComponent(projectId)}`;
  const filter = new URLSearchParams({ limit: '500' });
  for (const f of FILTERS) if (query.get(f)) filter.set(f, query.get(f) ?? '');
  const p = Number(query.get('p'));
  const i = Number(query.get('i'));
  const cell = p >= 1 && p <= 5 && i >= 1 && i <= 5 ? { p, i } : null;
  const selected = query.get('risk');

  const register = useQuery({ queryKey: ['risks', projectId, filter.toString()], queryFn: ({ signal }) => api<RiskPage>(`${base}/risks?${filter}`, { signal }), refetchInterval: 5_000 });
  const matrix = useQuery({ queryKey: ['risk-matrix', projectId], queryFn: ({ signal }) => api<{ cells: MatrixCell[] }>(`${base}/risk-matrix`, { signal }), refetchInterval: 5_000 });
  const automatic = useQuery({ queryKey: ['risks', projectId, 'automatic'], queryFn: ({ signal }) => api<RiskPage>(`${base}/risks?origin=automatic&limit=100`, { signal }), refetchInterval: 5_000 });
  // The matrix cell is a filter of this page, not of the service: the register API filters by rating, not by cell.
  const items = (register.data?.items ?? []).filter((r) => !cell || (r.cell?.probability === cell.p && r.cell.impact === cell.i));
  const names = useSubjectNames(projectId, [...(register.data?.items ?? []), ...(automatic.data?.items ?? [])]);
  const chosen = register.data?.items.find((r) => r.riskId === selected) ?? automatic.data?.items.find((r) => r.riskId === selected);

  return (
    <>
      <div className="risk-top">
        <section aria-labelledby="matrix-title" className="panel">
          <h2 id="matrix-title">Matrix</h2>
          {matrix.isError && <ProblemMessage error={matrix.error} onRetry={() => void matrix.refetch()} />}
          {matrix.data && <RiskMatrix cells={matrix.data.cells} selected={cell} onSelect={(c) => set({ p: c ? String(c.p) : null, i: c ? String(c.i) : null })} />}
        </section>
        <section aria-labelledby="auto-title" className="panel">
          <h2 id="auto-title">Automatic risks</h2>
          {automatic.isError && <ProblemMessage error={automatic.error} />}
          {automatic.data?.items.length === 0 && <p>No rule has raised a risk on this project.</p>}
          <ul className="automatic">
            {automatic.data?.items.map((r) => (
              <li key={r.riskId}>
                <strong>{r.title}</strong> <RiskSubject risk={r} names={names} /> ({r.status}
                {r.rating ? `, ${r.rating}` : ''}){r.automatic && <Evidence automatic={r.automatic} />}
              </li>
            ))}
          </ul>
        </section>
      </div>
      <section aria-labelledby="register-title" className="panel">
        <h2 id="register-title">Register</h2>
        <div className="toolbar">
          <div className="field">
            <label htmlFor="risk-status">Status</label>
            <select id="risk-status" value={query.get('status') ?? ''} onChange={(e) => set({ status: e.target.value })}>
              <option value="">Any</option>
              {STATUSES.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="risk-rating">Rating</label>
            <select id="risk-rating" value={query.get('rating') ?? ''} onChange={(e) => set({ rating: e.target.value })}>
              <option value="">Any</option>
              {RATINGS.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="risk-owner">Owner</label>
            <input id="risk-owner" defaultValue={query.get('ownerId') ?? ''} onBlur={(e) => set({ ownerId: e.target.value.trim() })} onKeyDown={(e) => e.key === 'Enter' && set({ ownerId: e.currentTarget.value.trim() })} />
          </div>
          <div className="field">
            <label htmlFor="risk-category">Category</label>
            <input id="risk-category" defaultValue={query.get('categoryId') ?? ''} onBlur={(e) => set({ categoryId: e.target.value.trim() })} onKeyDown={(e) => e.key === 'Enter' && set({ categoryId: e.currentTarget.value.trim() })} />
          </div>
          {cell && (
            <button type="button" className="secondary" onClick={() => set({ p: null, i: null })}>
              Clear cell P{cell.p} × I{cell.i}
            </button>
          )}
        </div>
        {register.isError && <ProblemMessage error={register.error} onRetry={() => void register.refetch()} />}
        {register.isSuccess && <RiskRegister items={items} selected={selected} onSelect={(id) => set({ risk: id })} names={names} />}
      </section>
      {chosen && (
        <section aria-labelledby="chosen-title" className="panel">
          <h2 id="chosen-title">Comments on “{chosen.title}”</h2>
          <CommentThread projectId={projectId} on={{ kind: 'risk', id: chosen.riskId }} />
        </section>
      )}
      <SimulationPanel projectId={projectId} />
    </>
  );
}
