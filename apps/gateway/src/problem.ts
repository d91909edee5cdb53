import type { ServerResponse } from 'node:http';

export interface GatewayProblem {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string;
}

const slug = (code: string) => code.toLowerCase().replace(/_/g, '-');

/** RFC 9457, the same shape the services answer with; `instance` is the path without the query string. */
export function sendProblem(res: ServerResponse, problem: GatewayProblem, instance: string, extraHeaders: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({
    type: `https://pm.example/problems/${slug(problem.code)}`,
    title: problem.title,
    status: problem.status,
    detail: problem.detail,
    instance: instance.split('?')[0],
    code: problem.code,
  });
  res.writeHead(problem.status, { ...extraHeaders, 'content-type': 'application/problem+json', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
}

/** A raw HTTP/1.1 problem for a socket Node refused to parse (headers too large, malformed request line). */
export function rawProblem(status: number, reason: string, problem: Omit<GatewayProblem, 'status'>): string {
  const body = JSON.stringify({ type: `https://pm.example/problems/${slug(problem.code)}`, title: problem.title, status, detail: problem.detail, code: problem.code });
  return `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}
