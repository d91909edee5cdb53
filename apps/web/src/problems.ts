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
  EXPECTED_VERSION_CONFLICT: () => ({ what: 'Someone else changed this at the same moment.', todo: 'The page shows their change in a moment; check it, then send yours again (what you typed is still here).' }),
  TRANSACTION_ORDER_CONFLICT: () => ({ what: 'Someone else changed this at the same moment.', todo: 'Send it again in a moment (what you typed is still here).' }),
  IDEMPOTENCY_KEY_IN_FLIGHT: () => ({ what: 'The same request is still being handled.', todo: 'Wait a few seconds; the page shows the result when it is done. Do not send it twice.' }),
  DATABASE_UNAVAILABLE: () => ({ what: 'The service cannot reach its database right now.', todo: 'Try again in a few seconds. If it persists, tell your platform team.' }),
  AUTH_UNAVAILABLE: () => ({ what: 'Your sign-in cannot be checked right now (the identity provider is not answering).', todo: 'Try again in a few seconds; you do not need to sign in again.' }),
  REQUEST_HEADERS_TOO_LARGE: () => ({ what: 'Your browser sent more cookies or headers than the server accepts.', todo: 'Sign out, clear this site’s cookies, and sign in again.' }),
  MALFORMED_JSON: () => ({ what: 'The page sent something the server could not read.', todo: 'Reload the page and try again; if it persists, tell your platform team.' }),
  UNSUPPORTED_MEDIA_TYPE: () => ({ what: 'The server does not accept this kind of content here.', todo: 'Check the file type (for an import, a Microsoft Project XML file) and try again.' }),
  PATH_INVALID: () => ({ what: 'This address is not valid.', todo: 'Check the link, or go back to the portfolio and start from there.' }),
  SERVICE_UNKNOWN: () => ({ what: 'This address does not lead to any part of the platform.', todo: 'Check the link, or go back to the portfolio and start from there.' }),
  // A proxy in front of the gateway (an ingress) answers with HTML, not a problem: the status is all there is.
  HTTP_502: () => ({ what: 'The platform is not answering right now.', todo: 'It may be restarting: try again in a few seconds. If it persists, tell your platform team.' }),
  HTTP_503: () => ({ what: 'The platform is not answering right now.', todo: 'It may be restarting: try again in a few seconds. If it persists, tell your platform team.' }),
  HTTP_504: () => ({ what: 'The platform took too long to answer.', todo: 'Try again; if it keeps happening, tell your platform team.' }),
  HTTP_413: () => ({ what: 'What was sent is too large.', todo: 'Send a smaller file or fewer items.' }),
  BASELINE_ALREADY_SAVED: () => ({ what: 'That baseline was already saved.', todo: 'Tick "Replace … if it was saved" to save over it, or pick another baseline number.' }),
  METHOD_NOT_ALLOWED: () => ({ what: 'This action is not possible here.', todo: 'Reload the page; if it persists, tell your platform team.' }),
};

/** What to do about a code the table does not know, by the kind of answer (the service's own words say what happened). */
function todoByStatus(status: number): string {
  if (status === 401) return 'Sign in again; what you typed on this page stays here.';
  if (status === 403) return 'Your role or authority does not allow this: ask someone who has it (for example a PMO administrator).';
  if (status === 404) return 'It may have been removed, or the link is wrong: go back to the list and pick it again.';
  if (status === 409 || status === 412) return 'The state changed since the page showed it: check what is shown now, then try again (what you typed is still here).';
  if (status === 429) return 'Wait a minute and try again.';
  if (status >= 500) return 'Try again in a moment; if it persists, tell your platform team.';
  return 'Check what you entered and try again.';
}

/** Every failure as words and a next step: a known code by the table, anything else by its own title and detail. */
export function explain(error: unknown): Explained {
  if (error instanceof ConnectionLost) return { what: 'The connection to the server is lost.', todo: 'Check your network; the page retries on its own and recovers when the server answers.' };
  if (!(error instanceof ApiProblem)) return { what: 'Something unexpected went wrong in the page.', todo: 'Reload the page.' };
  const fields = error.problem.errors?.map((e) => `${e.path ? `${e.path.replace(/^\//, '').replace(/\//g, ' › ')}: ` : ''}${e.message ?? ''}`);
  const reference = error.problem.traceId ? `reference ${error.problem.traceId}` : undefined;
  const known = BY_CODE[error.code];
  if (known) return { ...known(error), fields, reference };
  const what = [error.problem.title, error.problem.detail].filter(Boolean).join(': ') || `The server answered ${error.status}.`;
  return { what, todo: todoByStatus(error.status), fields, reference };
}
