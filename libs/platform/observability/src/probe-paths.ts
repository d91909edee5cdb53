/** Probes and scrapes are frequent and uninteresting: no spans and no request logs for them. */
export const PROBE_PATH_PREFIXES = ['/health/', '/metrics'];

export function isProbePath(url: string | undefined): boolean {
  return PROBE_PATH_PREFIXES.some((prefix) => url?.startsWith(prefix));
}
