import { Injectable } from '@nestjs/common';
import type { NestMiddleware } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { matchedRoute } from '@pm/platform/http';
import type { HttpRequest } from '@pm/platform/http';
import { httpRequestDuration } from './metrics.registry';

/** Label for requests no route matched: raw paths would make the label set unbounded. */
export const UNMATCHED_ROUTE = 'unmatched';

// Nest mounts `forRoutes` middleware (this one, nestjs-pino's) as catch-all Express routes
// (`{/*splat}`), and Express reports the last route that ran: when no handler matched, that is
// one of these. A controller never serves the bare root catch-all.
const MIDDLEWARE_CATCH_ALL = /^\{?\/?\*[A-Za-z_]\w*\}?$/;

/** The route template of the handler that served the request; `undefined` when none did. */
export function handlerRoute(request: HttpRequest): string | undefined {
  const route = matchedRoute(request);
  return route === undefined || MIDDLEWARE_CATCH_ALL.test(route) ? undefined : route;
}

/** Times every request; the route is read at the end, once the router has matched one. */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware<HttpRequest, ServerResponse> {
  private readonly histogram = httpRequestDuration();

  use(request: HttpRequest, response: ServerResponse, next: () => void): void {
    const stopTimer = this.histogram.startTimer();
    response.once('finish', () =>
      stopTimer({
        method: request.method ?? 'UNKNOWN',
        route: handlerRoute(request) ?? UNMATCHED_ROUTE,
        status: String(response.statusCode),
      }),
    );
    next();
  }
}
