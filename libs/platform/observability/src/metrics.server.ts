import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hasMetricsToken } from './metrics-exposure';
import { metricsRegistry } from './metrics.registry';

/**
 * The listener of `METRICS_PORT`: `GET /metrics` and nothing else, so the port a NetworkPolicy opens to
 * Prometheus reaches no API. Plain text answers: no JSON client ever reads them.
 */
export async function startMetricsServer(port: number, host: string, token: string | undefined): Promise<Server> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    response.setHeader('X-Content-Type-Options', 'nosniff');
    if (path !== '/metrics' || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found\n');
      return;
    }
    if (token !== undefined && !hasMetricsToken(request.headers.authorization, token)) {
      response.writeHead(401, { 'Content-Type': 'text/plain', 'WWW-Authenticate': 'Bearer realm="metrics"' }).end('Metrics token required\n');
      return;
    }
    metricsRegistry.metrics().then(
      (text) => response.writeHead(200, { 'Content-Type': metricsRegistry.contentType }).end(request.method === 'HEAD' ? undefined : text),
      () => response.writeHead(500, { 'Content-Type': 'text/plain' }).end('Metrics unavailable\n'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}

export function metricsServerPort(server: Server): number {
  return (server.address() as AddressInfo).port;
}
