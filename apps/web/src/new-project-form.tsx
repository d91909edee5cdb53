import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { api } from './api';
import { ProblemMessage } from './problem-message';

/** A command from the screen: a refusal is shown in words and what was typed stays in the form. */
export function NewProjectForm() {
  const [name, setName] = useState('');
  const create = useMutation({
    mutationFn: (projectName: string) => api<{ projectId: string }>('/api/planning/projects', { method: 'POST', body: { name: projectName } }),
    onSuccess: () => setName(''),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(name);
  };
  return (
    <form className="card new-project" onSubmit={submit} aria-labelledby="new-project-title">
      <h2 id="new-project-title">New project</h2>
      <label>
        Project name
        <input name="name" value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" />
      </label>
      <button type="submit" disabled={create.isPending}>
        Create
      </button>
      {create.isSuccess && (
        <p role="status">Created “{create.variables}”. It appears in the portfolio within a few seconds.</p>
      )}
      {create.isError && <ProblemMessage error={create.error} />}
    </form>
  );
}
