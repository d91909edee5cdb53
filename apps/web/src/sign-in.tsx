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
export function SignIn({ again }: { again?: { readonly tenant: string; readonly role: string } } = {}) {
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
  const [tenant, setTenant] = useState(again?.tenant ?? 'demo');
  const [role, setRole] = useState(again?.role ?? 'pmo-admin');
  const signIn = useMutation({
    mutationFn: () => api('/auth/dev-sign-in', { method: 'POST', body: { tenant, role } }),
    // Signing in again under a screen kept as it was: everything it shows is asked for again, refusals included.
    onSuccess: () => client.invalidateQueries(again ? undefined : { queryKey: SESSION_KEY }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    signIn.mutate();
  };
  const returnTo = encodeURIComponent(window.location.pathname === '/sign-in' ? '/' : window.location.pathname + window.location.search);
  const body = (
    <>
      {options.isPending && <p>Loading…</p>}
      {options.isError && <ProblemMessage error={options.error} onRetry={() => void options.refetch()} />}
      {oidc.data && (
        <p className="card">
          {/* A navigation, not a fetch: the provider's pages take over the tab and send it back to /auth/callback. */}
          {again ? (
            // A new tab, so this one keeps what was typed; the session cookie it sets serves both tabs.
            <a className="button" href={`${oidc.data.signInUrl}?returnTo=${returnTo}`} target="_blank" rel="noopener">
              Sign in with {oidc.data.providerName} (opens a new tab)
            </a>
          ) : (
            <a className="button" href={`${oidc.data.signInUrl}?returnTo=${returnTo}`}>
              Sign in with {oidc.data.providerName}
            </a>
          )}
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
    </>
  );
  if (again) return body;
  return (
    <main className="sign-in" id="main">
      <h1>Sign in</h1>
      {body}
    </main>
  );
}
