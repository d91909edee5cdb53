import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { PROBLEM_CONTENT_TYPE, problemTypeUri } from './problem-details.types';
import type { ProblemDetails } from './problem-details.types';

/** `HTTP_REQUEST_TIMEOUT_MS` env, else 30 s: no request holds a socket (and its handler's resources) longer. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
export const REQUEST_TIMED_OUT = 'REQUEST_TIMED_OUT';

export function requestTimeoutFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  return positiveMs(env, 'HTTP_REQUEST_TIMEOUT_MS', DEFAULT_REQUEST_TIMEOUT_MS);
}

/**
 * `HTTP_KEEP_ALIVE_TIMEOUT_MS` env, else 65 s: how long an idle kept-alive connection stays open. Node's default (5 s)
 * reset requests: when a large plan's edit held the service's event loop for seconds, the idle timers of connections
 * fell due together right after it and closed them while clients had just sent requests on them (`ECONNRESET`, seen
 * by `bench:plan`'s other tenant at 100,000 and 400,000 tasks). Longer than the usual 60 s idle timeout of a load
 * balancer in front, so the side that closes an idle connection is the client's.
 */
export const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 65_000;

export function keepAliveTimeoutFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  return positiveMs(env, 'HTTP_KEEP_ALIVE_TIMEOUT_MS', DEFAULT_KEEP_ALIVE_TIMEOUT_MS);
}

/** Sets the idle keep-alive timeout, and the headers timeout above it (Node drops a request whose headers take longer). */
export function applyKeepAliveTimeout(server: Server, keepAliveMs: number): void {
  server.keepAliveTimeout = keepAliveMs;
  server.headersTimeout = Math.max(server.headersTimeout, keepAliveMs + 1_000);
}

function positiveMs(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms <= 0) throw new Error(`${name} must be a positive whole number of milliseconds, got "${raw}"`);
  return ms;
}

/**
 * Answers 503 `REQUEST_TIMED_OUT` problem+json (with `Retry-After`) when a request has not been answered within
 * `timeoutMs`, whether it is still uploading its body or its handler is still working, and closes the connection.
 * The handler is not interrupted (JavaScript cannot be), but what it writes afterwards is dropped; database work is
 * bounded separately by the pool's `statement_timeout`. Long work (imports, exports, rebuilds) runs as jobs, which
 * answer 202 at once.
 */
export function requestTimeoutMiddleware(timeoutMs: number) {
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    let timer: NodeJS.Timeout | undefined;
    const arm = (ms: number) => {
      clearTimeout(timer);
      timer = setTimeout(() => answerTimedOut(req, res, ms), ms);
      timer.unref();
    };
    arm(timeoutMs);
    deadlines.set(req, arm);
    const clear = () => clearTimeout(timer);
    res.once('finish', clear);
    res.once('close', clear);
    next();
  };
}

const deadlines = new WeakMap<object, (ms: number) => void>();

/** `HTTP_UPLOAD_TIMEOUT_MS` env, else 10 min: the deadline of a route that streams a large upload (an MSPDI import). */
export const DEFAULT_UPLOAD_TIMEOUT_MS = 600_000;

export function uploadTimeoutFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  return positiveMs(env, 'HTTP_UPLOAD_TIMEOUT_MS', DEFAULT_UPLOAD_TIMEOUT_MS);
}

/**
 * Gives the request `ms` from now instead of the default deadline: for a route that accepts a body far larger than the
 * JSON limit and reads it as a stream, whose upload alone may take longer than a normal request may.
 */
export function extendRequestTimeout(req: object, ms: number = uploadTimeoutFromEnv()): void {
  deadlines.get(req)?.(ms);
}

function answerTimedOut(req: IncomingMessage, res: ServerResponse, timeoutMs: number): void {
  if (res.writableEnded) return;
  if (res.headersSent) {
    // A streamed answer was under way: the status line is gone, cutting it is the only honest end.
    res.destroy();
    return;
  }
  const problem: ProblemDetails = {
    type: problemTypeUri(REQUEST_TIMED_OUT),
    title: 'Request timed out',
    status: 503,
    detail: `The request was not answered within ${timeoutMs} ms`,
    instance: (req.url ?? '/').split('?')[0] ?? '/',
    code: REQUEST_TIMED_OUT,
  };
  const body = JSON.stringify(problem);
  res.writeHead(503, {
    'Content-Type': `${PROBLEM_CONTENT_TYPE}; charset=utf-8`,
    'Content-Length': Buffer.byteLength(body),
    'Retry-After': '1',
    Connection: 'close',
  });
  res.end(body);
  silenceLateWrites(res);
  // A body still uploading would otherwise keep the socket open; the client has its answer.
  res.once('finish', () => req.socket.destroySoon());
}

/** The handler finishes some time later and answers as usual: that answer has nowhere to go, and must not throw. */
function silenceLateWrites(res: ServerResponse): void {
  const late = res as unknown as Record<string, unknown>;
  late['setHeader'] = () => res;
  late['writeHead'] = () => res;
  late['write'] = () => true;
  late['end'] = () => res;
}
