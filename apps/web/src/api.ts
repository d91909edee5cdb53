/** One RFC 9457 body as the services and the gateway send it. */
export interface ProblemBody {
  readonly type?: string;
  readonly title?: string;
  readonly status?: number;
  readonly detail?: string;
  readonly code?: string;
  readonly errors?: ReadonlyArray<{ path?: string; message?: string }>;
  readonly traceId?: string;
}

export class ApiProblem extends Error {
  constructor(readonly status: number, readonly problem: ProblemBody) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
  }
  get code(): string {
    return this.problem.code ?? `HTTP_${this.status}`;
  }
}

/** The request never got an answer: the network, or the gateway itself, is gone. */
export class ConnectionLost extends Error {}

/**
 * Every call goes to this origin: the session cookie rides along (the token stays in the gateway), and the custom
 * header is the gateway's CSRF check for state-changing requests (docs/security.md).
 */
export async function api<T>(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: init.method ?? 'GET',
      credentials: 'same-origin',
      signal: init.signal,
      headers: { accept: 'application/json', 'x-requested-with': 'pm-web', ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ConnectionLost('no answer from the server');
  }
  const text = await res.text();
  const body: unknown = text ? safeJson(text) : null;
  // Not JSON (an ingress's HTML error page): its markup is no message for a person; the status says what happened.
  if (!res.ok) throw new ApiProblem(res.status, (body && typeof body === 'object' ? body : { title: res.statusText || undefined, status: res.status }) as ProblemBody);
  return body as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
