import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { api } from '../api';
import { navigate, useLocation, withQuery } from '../router';

interface ProjectSummary {
  readonly projectId: string;
  readonly name: string | null;
}

/**
 * The project a screen works on, kept in the URL (`?project=`) so a link opens the same view. The list comes from the
 * reporting service's project summaries; while it is not there (catching up, or down) the project in the link still
 * works and the picker says why the list is missing.
 */
export function ProjectPicker({ label = 'Project' }: { label?: string }) {
  const { pathname, query } = useLocation();
  const selected = query.get('project') ?? '';
  const projects = useQuery({
    queryKey: ['project-summaries'],
    queryFn: () => api<{ items: ProjectSummary[] }>('/api/reporting/portfolio?limit=100'),
    refetchInterval: 10_000,
  });
  const items = projects.data?.items ?? [];
  const id = useId();
  const known = items.some((p) => p.projectId === selected);
  return (
    <div className="field project-picker">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={selected} onChange={(e) => navigate(withQuery(pathname, new URLSearchParams(), { project: e.target.value }))}>
        <option value="">Choose a project…</option>
        {selected && !known && <option value={selected}>{projects.isError ? `Project ${selected.slice(0, 8)}… (list not available)` : `Project ${selected.slice(0, 8)}…`}</option>}
        {items.map((p) => (
          <option key={p.projectId} value={p.projectId}>
            {p.name ?? p.projectId}
          </option>
        ))}
      </select>
    </div>
  );
}

export function useSelectedProject(): string | null {
  const { query } = useLocation();
  const id = query.get('project');
  return id && /^[0-9a-f-]{36}$/i.test(id) ? id : null;
}
