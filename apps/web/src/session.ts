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
export function useSession() {
  return useQuery({
    queryKey: SESSION_KEY,
    queryFn: async () => {
      try {
        return await api<SessionView>('/auth/session');
      } catch (e) {
        if (e instanceof ApiProblem && e.status === 401) return null;
        throw e;
      }
    },
    staleTime: 60_000,
  });
}
