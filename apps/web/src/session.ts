import { useQuery } from '@tanstack/react-query';
import { api, ApiProblem } from './api';

export interface SessionView {
  readonly sub: string;
  readonly tenant: string;
  readonly roles: readonly string[];
  readonly email: string | null;
  readonly expiresAt: string;
}

export const SESSION_KEY = ['session'] as const;

/** The signed-in person as the gateway tells it (never the token); null when nobody is signed in. */
export async function fetchSession(): Promise<SessionView | null> {
  try {
    return await api<SessionView>('/auth/session');
  } catch (e) {
    if (e instanceof ApiProblem && e.status === 401) return null;
    throw e;
  }
}

export function useSession() {
  return useQuery({ queryKey: SESSION_KEY, queryFn: fetchSession, staleTime: 60_000 });
}
