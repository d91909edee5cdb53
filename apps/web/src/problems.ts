import { ApiProblem, ConnectionLost } from './api';

export interface Explained {
  /** What happened, in words. */
  readonly what: string;
  /** What the person can do about it. */
  readonly todo: string;
  /** A field-by-field list, when the service named the fields. */
  readonly fields?: readonly string[];
  readonly reference?: string;
}

const BY_CODE: Record<string, (p: ApiProblem) => Omit<Explained, 'fields' | 'reference'>> = {
  SESSION_REQUIRED: () => ({ what: 'You are not signed in, or your session has expired.', todo: 'Sign in again; what you typed on this page stays here.' }),
  AUTH_TOKEN_MISSING: () => ({ what: 'You are not signed in, or your session has expired.', todo: 'Sign in again.' }),
  AUTH_TOKEN_INVALID: () => ({ what: 'Your sign-in is no longer valid.', todo: 'Sign out and sign in again.' }),
  AUTH_FORBIDDEN: () => ({ what: 'Your role does not allow this action.', todo: 'Ask a PMO administrator for a role that allows it, or ask someone who has one.' }),
  VALIDATION_FAILED: () => ({ what: 'Some of what was sent is not valid.', todo: 'Correct the fields listed below and try again.' }),
  INVALID_TEXT: () => ({ what: 'The text holds characters that cannot be stored.', todo: 'Remove control or broken characters (for example pasted from another program) and try again.' }),
  PROJECT_NOT_FOUND: () => ({ what: 'This project does not exist, or it is not in your organisation.', todo: 'Go back to the portfolio and pick it from the list; check the link if someone sent it to you.' }),
  NOT_FOUND: () => ({ what: 'This was not found.', todo: 'Go back to the portfolio and start from there.' }),
  RATE_LIMITED: (p) => ({ what: 'Too many requests in a short time.', todo: `Wait ${p.problem.detail?.match(/\d+ ?s/)?.[0] ?? 'a minute'} and try again.` }),
  UPSTREAM_UNAVAILABLE: (p) => ({ what: p.problem.detail ?? 'A service is not answering.', todo: 'It may be restarting: try again in a few seconds. If it persists, tell your platform team.' }),
  UPSTREAM_TIMED_OUT: () => ({ what: 'A service took too long to answer.', todo: 'Try again; if it keeps happening, tell your platform team.' }),
  REQUEST_TIMED_OUT: () => ({ what: 'The service took too long to answer.', todo: 'Try again in a moment.' }),
  QUERY_TIMED_OUT: () => ({ what: 'The database took too long to answer.', todo: 'Try again in a moment, or narrow the filters.' }),
  PAYLOAD_TOO_LARGE: () => ({ what: 'What was sent is too large.', todo: 'Send a smaller file or fewer items.' }),
  CSRF_REFUSED: () => ({ what: 'The request was refused because it did not come from this page.', todo: 'Reload the page and try again.' }),
  INTERNAL_ERROR: () => ({ what: 'Something went wrong on the server.', todo: 'Try again. If it happens again, send the reference below to your platform team.' }),
};

/** Every failure as words and a next step: a known code by the table, anything else by its own title and detail. */
export function explain(error: unknown): Explained {
  if (error instanceof ConnectionLost) return { what: 'The connection to the server is lost.', todo: 'Check your network; the page retries on its own and recovers when the server answers.' };
  if (!(error instanceof ApiProblem)) return { what: 'Something unexpected went wrong in the page.', todo: 'Reload the page.' };
  const fields = error.problem.errors?.map((e) => `${e.path ? `${e.path.replace(/^\//, '').replace(/\//g, ' › ')}: ` : ''}${e.message ?? ''}`);
  const reference = error.problem.traceId ? `reference ${error.problem.traceId}` : undefined;
  const known = BY_CODE[error.code];
  if (known) return { ...known(error), fields, reference };
  const what = [error.problem.title, error.problem.detail].filter(Boolean).join(': ') || `The server answered ${error.status}.`;
  const todo = error.status >= 500 ? 'Try again in a moment; if it persists, tell your platform team.' : 'Check what you entered and try again.';
  return { what, todo, fields, reference };
}
