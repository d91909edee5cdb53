import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { api, ApiProblem, ConnectionLost } from '../api';
import type { ProblemBody } from '../api';
import { ProblemMessage } from '../problem-message';
import '../project/project.css';
import { Link, navigate, useLocation, withQuery } from '../router';
import type { ImportJob } from '../project/schedule.types';

const projectPath = (projectId: string, rest = '') => `/api/planning/projects/${encodeURIComponent(projectId)}${rest}`;

/** The upload goes as the XML body itself (not a form): the service streams it into storage as it arrives. */
async function upload(projectId: string, file: File): Promise<ImportJob> {
  let res: Response;
  try {
    res = await fetch(projectPath(projectId, '/schedule/import'), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { accept: 'application/json', 'content-type': 'application/xml', 'x-requested-with': 'pm-web' },
      body: file,
    });
  } catch {
    throw new ConnectionLost('no answer from the server');
  }
  const body = (await res.json().catch(() => ({}))) as unknown;
  if (!res.ok) throw new ApiProblem(res.status, body as ProblemBody);
  return body as ImportJob;
}

const ended = (job: ImportJob | undefined) => job !== undefined && job.state !== 'queued' && job.state !== 'running';

/**
 * Import: a new project (or the one in `?project=`), the file uploaded into its empty schedule, the job followed until
 * it ends (`?project=&job=` in the URL, so a reload keeps watching), then a link to the Gantt.
 */
export function ImportScreen() {
  const { pathname, query } = useLocation();
  const projectId = query.get('project');
  const jobId = query.get('job');
  const [name, setName] = useState('');
  const [file, setFile] = useState<File | null>(null);

  const start = useMutation({
    mutationFn: async () => {
      if (!file) throw new Error('no file');
      const id = projectId ?? (await api<{ projectId: string }>('/api/planning/projects', { method: 'POST', body: { name: name.trim() || file.name.replace(/\.xml$/i, '') } })).projectId;
      // The project exists from here on: keep it in the URL, so a refused upload is retried into the same project.
      navigate(withQuery(pathname, query, { project: id }), { replace: true });
      const job = await upload(id, file);
      navigate(withQuery(pathname, new URLSearchParams(), { project: id, job: job.id }), { replace: true });
      return job;
    },
  });

  const job = useQuery({
    queryKey: ['import-job', projectId, jobId],
    enabled: projectId !== null && jobId !== null,
    queryFn: ({ signal }) => api<ImportJob>(projectPath(projectId ?? '', `/schedule/imports/${encodeURIComponent(jobId ?? '')}`), { signal }),
    refetchInterval: (q) => (ended(q.state.data) ? false : 500),
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    start.mutate();
  };
  const j = job.data;
  const percent = j?.progress ? Math.round(j.progress.percent) : 0;

  return (
    <section aria-labelledby="import-title">
      <h1 id="import-title">Import a Microsoft Project plan</h1>
      <p>Microsoft Project XML (MSPDI, “Save as… XML”). The file goes into {projectId ? 'the chosen project’s empty schedule' : 'a new project'}; the schedule changes only when the whole file is in.</p>
      <form className="import-form" onSubmit={submit}>
        {!projectId && (
          <label>
            Project name
            <input value={name} onChange={(e) => setName(e.target.value)} placeholder="the file's name when empty" />
          </label>
        )}
        <label>
          Microsoft Project XML file
          <input type="file" accept=".xml,application/xml,text/xml" required onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </label>
        <button type="submit" disabled={!file || start.isPending || (j !== undefined && !ended(j))}>
          {start.isPending ? 'Uploading…' : 'Import'}
        </button>
      </form>
      {start.isError && <ProblemMessage error={start.error} />}
      {job.isError && <ProblemMessage error={job.error} onRetry={() => void job.refetch()} />}
      {j && (
        <div className="import-job" aria-live="polite">
          <p>
            Import {j.state}
            {j.progress && j.progress.total > 0 ? `: ${j.progress.done.toLocaleString('en-GB')} of ${j.progress.total.toLocaleString('en-GB')}` : ''}
          </p>
          <progress max={100} value={j.state === 'succeeded' ? 100 : percent} aria-label="Import progress">
            {percent} %
          </progress>
          {j.state === 'succeeded' && projectId && (
            <p>
              {j.result?.tasks ?? 0} tasks and {j.result?.links ?? 0} links imported. <Link to={`/projects/${encodeURIComponent(projectId)}`}>Open the project’s Gantt</Link> ·{' '}
              <a href={projectPath(projectId, '/schedule/export')} download={`${projectId}.xml`}>
                Export it back to XML
              </a>
            </p>
          )}
          {j.error && (
            <div className="problem" role="alert">
              <p className="problem-what">The import failed: {j.error.message}</p>
              <p className="problem-todo">Fix the file (code {j.error.code}) and import it again into a new project.</p>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
