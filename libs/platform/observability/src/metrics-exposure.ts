import { timingSafeEqual } from 'node:crypto';

/**
 * Where `/metrics` is served. The main port is the one the ingress exposes, so there it is open only outside
 * production, or behind `METRICS_TOKEN`:
 *
 * | `METRICS_PORT` | `METRICS_TOKEN` | `/metrics` on the main port | own listener |
 * |---|---|---|---|
 * | set | any | 404 | on that port (token required when set) |
 * | unset | set | bearer token required (401 otherwise) | none |
 * | unset | unset | open outside production, 404 in production | none |
 */
export interface MetricsExposure {
  /** A listener of its own serving only `GET /metrics`; the main port then answers 404. */
  port?: number;
  /** Required as `Authorization: Bearer <token>` wherever `/metrics` is served. */
  token?: string;
  mainPort: 'open' | 'token' | 'off';
}

export function resolveMetricsExposure(env: NodeJS.ProcessEnv = process.env): MetricsExposure {
  const portText = env['METRICS_PORT']?.trim();
  const token = env['METRICS_TOKEN']?.trim() || undefined;
  if (token !== undefined && token.length < 16) throw new Error('METRICS_TOKEN must be at least 16 characters');
  if (portText) {
    const port = Number(portText);
    if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`METRICS_PORT must be a TCP port, got "${portText}"`);
    return { port, token, mainPort: 'off' };
  }
  if (token !== undefined) return { token, mainPort: 'token' };
  return { mainPort: env['NODE_ENV'] === 'production' ? 'off' : 'open' };
}

/** Whether an Authorization header carries the metrics token (compared in constant time). */
export function hasMetricsToken(authorization: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match) return false;
  const given = Buffer.from(match[1]);
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
