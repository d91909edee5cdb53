import '../charts/screens.css';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { api } from '../api';
import { ProblemMessage } from '../problem-message';
import { ProjectPicker, useSelectedProject } from '../project-picker/project-picker';
import { navigate, useLocation, withQuery } from '../router';
import { LevellingProposals } from './levelling-proposals';
import type { PoolEntry, UtilisationReport } from './resources.types';
import { addDays, heatRows, mondayOf, overAllocations } from './utilisation';
import type { GroupBy } from './utilisation';
import { UtilisationHeatMap } from './utilisation-heat-map';

const WEEKS = 12;
const isDay = (s: string | null): s is string => s !== null && /^\d{4}-\d{2}-\d{2}$/.test(s);

/**
 * The resource manager's screen: utilisation from the resource service's own read model (it changes the moment an
 * assignment or a levelling moves demand, which is what someone levelling needs to see), the over-allocated weeks,
 * and the project's levelling proposals to accept or reject.
 */
export function ResourcesScreen() {
  const { pathname, query } = useLocation();
  const from = isDay(query.get('from')) ? mondayOf(new Date(`${query.get('from')}T00:00:00Z`)) : mondayOf(new Date());
  const to = addDays(from, WEEKS * 7 - 1);
  const by: GroupBy = query.get('by') === 'role' ? 'role' : 'resource';
  const projectId = useSelectedProject();
  const utilisation = useQuery({
    queryKey: ['utilisation', from, to],
    queryFn: ({ signal }) => api<UtilisationReport>(`/api/resource/utilisation?from=${from}&to=${to}&by=resource`, { signal }),
    refetchInterval: 5_000,
  });
  const pool = useQuery({ queryKey: ['resource-pool'], queryFn: ({ signal }) => api<PoolEntry[]>('/api/resource/resources', { signal }), refetchInterval: 30_000 });
  const heat = useMemo(() => heatRows(utilisation.data?.rows ?? [], pool.data ?? [], by), [utilisation.data, pool.data, by]);
  const over = useMemo(() => overAllocations(heat.rows), [heat.rows]);
  const set = (changes: Record<string, string | null>) => navigate(withQuery(pathname, query, changes), { replace: true });
  return (
    <section aria-labelledby="resources-title" className="screen-resources">
      <h1 id="resources-title">Resources</h1>
      <div className="toolbar">
        <div className="field">
          <label htmlFor="res-from">Weeks from</label>
          <input id="res-from" type="date" value={from} onChange={(e) => set({ from: e.target.value || null })} />
        </div>
        <div className="field">
          <label htmlFor="res-by">Rows</label>
          <select id="res-by" value={by} onChange={(e) => set({ by: e.target.value === 'role' ? 'role' : null })}>
            <option value="resource">Resource</option>
            <option value="role">Role</option>
          </select>
        </div>
        <ProjectPicker label="Project for levelling" />
      </div>
      <section aria-labelledby="heat-title" className="panel">
        <h2 id="heat-title">
          Utilisation, {from} to {to}
        </h2>
        {utilisation.isError && <ProblemMessage error={utilisation.error} onRetry={() => void utilisation.refetch()} />}
        {pool.isError && <ProblemMessage error={pool.error} />}
        {utilisation.isPending && <p>Loading…</p>}
        {utilisation.isSuccess && heat.rows.length === 0 && <p>No resource has capacity or demand in these weeks.</p>}
        {heat.rows.length > 0 && <UtilisationHeatMap weeks={heat.weeks} rows={heat.rows} />}
      </section>
      <section aria-labelledby="over-title" className="panel">
        <h2 id="over-title">Over-allocations</h2>
        {utilisation.isSuccess && over.length === 0 && <p>Nobody is over-allocated in these weeks.</p>}
        <ul className="over-allocations">
          {over.map((o) => (
            <li key={o.label}>
              <strong>{o.label}</strong>: {o.excessHours} h over capacity in {o.weeks.length} week{o.weeks.length === 1 ? '' : 's'} (
              {o.weeks.map((w) => `week of ${w.week}: ${w.demandHours} h of ${w.capacityHours} h`).join('; ')})
            </li>
          ))}
        </ul>
      </section>
      {projectId ? <LevellingProposals projectId={projectId} /> : <p>Choose a project to see and decide its levelling proposals.</p>}
    </section>
  );
}
