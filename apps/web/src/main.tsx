import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiProblem } from './api';
import { SESSION_KEY } from './session';
import { App } from './app';
import './styles.css';

const client: QueryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A refusal (4xx) will not change by asking again; a lost connection or a 5xx may.
      retry: (count, error) => count < 3 && !(error instanceof ApiProblem && error.status < 500),
      retryDelay: (attempt) => Math.min(1000 * 2 ** attempt, 8000),
    },
  },
});
// A session that expires mid-use: any 401 (a read or a command) has the session asked for again; when it is gone the
// screen stays as it is under a sign-in box (app.tsx), so nothing typed is lost.
const sessionGone = (error: unknown) => error instanceof ApiProblem && error.status === 401;
client.getQueryCache().subscribe((event) => {
  if (event.type === 'updated' && sessionGone(event.query.state.error) && event.query.queryKey[0] !== SESSION_KEY[0]) {
    void client.invalidateQueries({ queryKey: SESSION_KEY });
  }
});
client.getMutationCache().subscribe((event) => {
  if (event.type === 'updated' && sessionGone(event.mutation.state.error)) void client.invalidateQueries({ queryKey: SESSION_KEY });
});

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={client}>
        <App />
      </QueryClientProvider>
    </StrictMode>,
  );
}
