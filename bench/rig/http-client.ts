/** A small HTTP client for the benches: the whole answer, its status and headers, and how long it took. */
import fs from 'node:fs';
import http from 'node:http';
import { performance } from 'node:perf_hooks';

export interface HttpAnswer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
  /** From sending the request to the last byte of the answer. */
  readonly ms: number;
}

export interface HttpCall {
  readonly port: number;
  readonly method: 'GET' | 'POST' | 'PATCH';
  readonly path: string;
  readonly token: string;
  readonly agent: http.Agent;
  /** JSON (serialised here) or a file streamed as the body with `contentType`. */
  readonly json?: unknown;
  readonly file?: { readonly path: string; readonly contentType: string };
  readonly timeoutMs?: number;
}

export function call(c: HttpCall): Promise<HttpAnswer> {
  const payload = c.json === undefined ? undefined : Buffer.from(JSON.stringify(c.json));
  const headers: http.OutgoingHttpHeaders = { authorization: `Bearer ${c.token}`, accept: 'application/json' };
  if (payload) Object.assign(headers, { 'content-type': 'application/json', 'content-length': payload.length });
  if (c.file) Object.assign(headers, { 'content-type': c.file.contentType, 'content-length': fs.statSync(c.file.path).size });
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: c.port, path: c.path, method: c.method, agent: c.agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), ms: performance.now() - started }));
      res.on('error', reject);
    });
    const timeoutMs = c.timeoutMs ?? 120_000;
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`${c.method} ${c.path}: no answer within ${timeoutMs / 1000} s`)));
    req.on('error', reject);
    if (c.file) fs.createReadStream(c.file.path).on('error', reject).pipe(req);
    else req.end(payload);
  });
}

/** The answer's JSON when its status is `expected`, else an error that shows the problem+json. */
export function expectJson<T>(answer: HttpAnswer, expected: number | readonly number[], what: string): T {
  const ok = typeof expected === 'number' ? answer.status === expected : expected.includes(answer.status);
  if (!ok) throw new Error(`${what}: HTTP ${answer.status} ${answer.body.toString('utf8').slice(0, 500)}`);
  return JSON.parse(answer.body.toString('utf8')) as T;
}

/** The version in an `ETag: "<n>"` header, or -1. */
export const etagVersion = (answer: HttpAnswer): number => {
  const match = /^(?:W\/)?"(\d+)"$/.exec(String(answer.headers.etag ?? ''));
  return match ? Number(match[1]) : -1;
};
