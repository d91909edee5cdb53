import { useQuery } from '@tanstack/react-query';
import type { SessionView } from './session';
import { fetchSession, SESSION_KEY } from './session';
import { SignIn } from './sign-in';

/**
 * The session ended while a screen was open (it expired, or was signed out in another tab). The screen stays as it
 * was, with whatever was typed in it; this box offers to sign in again. It asks every few seconds whether a session
 * is back, so a sign-in in another tab ends it too.
 */
export function SessionEnded({ last }: { last: SessionView }) {
  useQuery({ queryKey: SESSION_KEY, queryFn: fetchSession, refetchInterval: 5_000 });
  return (
    <section className="card session-ended" aria-labelledby="session-ended-title">
      <h2 id="session-ended-title">Your session has ended</h2>
      <p role="alert">Sign in again to go on. This page and what you typed in it stay as they are; send it again once you are signed in.</p>
      <SignIn again={{ tenant: last.tenant, role: last.roles[0] ?? 'viewer' }} />
    </section>
  );
}
