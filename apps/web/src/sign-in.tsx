import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { api, ApiProblem } from './api';
import { ProblemMessage } from './problem-message';
import { SESSION_KEY } from './session';

interface DevOptions {
  readonly tenants: readonly string[];
  readonly roles: readonly string[];
}

/**
 * Development sign-in: offered only when the gateway runs with PM_DEV_SIGN_IN=1 (npm start sets it). Without it the
 * gateway answers 404; with OIDC configured the page offers "Sign in with <provider>" (ADR 0603); with neither it says so.
 */
export function SignIn() {
  const client = useQueryClient();
  const options = useQuery({
    queryKey: ['dev-sign-in'],
    queryFn: async () => {
      try {
        return await api<DevOptions>('/auth/dev-sign-in');
      } catch (e) {
        if (e instanceof ApiProblem && e.status === 404) return null;
        throw e;
      }
    },
  });
  const oidc = useQuery({
    queryKey: ['oidc-sign-in'],
    queryFn: async () => {
      try {
        return await api<{ providerName: string; signInUrl: string }>('/auth/oidc');
      } catch (e) {
        if (e instanceof ApiProblem && e.status === 404) return null;
        throw e;
      }
    },
  });
  const [tenant, setTenant] = useState('demo');
  const [role, setRole] = useState('pmo-admin');
  const signIn = useMutation({
    mutationFn: () => api('/auth/dev-sign-in', { method: 'POST', body: { tenant, role } }),
    onSuccess: () => client.invalidateQueries({ queryKey: SESSION_KEY }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    signIn.mutate();
  };
  return (
    <main className="sign-in" id="main">
      <h1>Sign in</h1>
      {options.isPending && <p>Loading…</p>}
      {options.isError && <ProblemMessage error={options.error} onRetry={() => void options.refetch()} />}
      {oidc.data && (
        <p className="card">
          {/* A navigation, not a fetch: the provider's pages take over the tab and send it back to /auth/callback. */}
          <a className="button" href={`${oidc.data.signInUrl}?returnTo=${encodeURIComponent(window.location.pathname === '/sign-in' ? '/' : window.location.pathname + window.location.search)}`}>
            Sign in with {oidc.data.providerName}
          </a>
        </p>
      )}
      {options.data === null && oidc.data === null && <p>Sign-in through your organisation's identity provider is not configured on this server yet. Ask your platform team.</p>}
      {options.data && (
        <form onSubmit={submit} className="card">
          <p>Development sign-in: choose a tenant and a role. This exists only on development servers.</p>
          <label>
            Tenant
            <input name="tenant" list="tenants" value={tenant} onChange={(e) => setTenant(e.target.value)} required autoComplete="off" />
            <datalist id="tenants">
              {options.data.tenants.map((t) => (
                <option key={t} value={t} />
              ))}
            </datalist>
          </label>
          <label>
            Role
            <select name="role" value={role} onChange={(e) => setRole(e.target.value)}>
              {options.data.roles.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" disabled={signIn.isPending}>
            Sign in
          </button>
          {signIn.isError && <ProblemMessage error={signIn.error} />}
        </form>
      )}
    </main>
  );
}
