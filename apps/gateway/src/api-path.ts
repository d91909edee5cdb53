import { UPSTREAM_SERVICES } from './gateway.config';
import type { UpstreamService } from './gateway.config';

export type ApiTarget = { ok: true; service: UpstreamService; path: string } | { ok: false; status: 400 | 404; code: string; detail: string };

const isService = (name: string): name is UpstreamService => (UPSTREAM_SERVICES as readonly string[]).includes(name);

function decoded(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/**
 * `/api/<service>/<rest>?<query>` → the service and the path to ask it for. The raw target is checked segment by
 * segment, decoded, so neither `/api/../` nor `%2e%2e`, an encoded slash or backslash, nor a NUL can walk out of
 * the service's API or into another service (the upstream receives exactly the segments checked here).
 */
export function apiTarget(rawUrl: string): ApiTarget {
  const queryAt = rawUrl.indexOf('?');
  const rawPath = queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt);
  const query = queryAt < 0 ? '' : rawUrl.slice(queryAt);
  const segments = rawPath.split('/').slice(2); // ['', 'api', ...]
  for (const segment of segments) {
    const text = decoded(segment);
    if (text === null) return { ok: false, status: 400, code: 'PATH_INVALID', detail: 'The path holds a malformed percent-encoding.' };
    if (text === '.' || text === '..' || /[/\\\0]/.test(text)) {
      return { ok: false, status: 400, code: 'PATH_INVALID', detail: 'The path may not hold dot segments, encoded slashes, backslashes or NUL.' };
    }
  }
  const [service, ...rest] = segments;
  if (!service || !isService(service)) {
    return { ok: false, status: 404, code: 'SERVICE_UNKNOWN', detail: `No service answers under /api/${service ? '<that name>' : ''}; known: ${UPSTREAM_SERVICES.join(', ')}.` };
  }
  return { ok: true, service, path: `/${rest.join('/')}${query}` };
}
