/**
 * A stream id names its category, the tenant that owns it and the aggregate's id: `schedule:acme:7c9e…`. The tenant
 * is part of the id, so the same client-chosen id in two tenants is two streams and no answer can reveal that an id
 * exists elsewhere. Each part is percent-encoded, so a ':' in a tenant or id cannot forge another stream's id.
 */
export function streamIdOf(category: string, tenantId: string, id: string): string {
  return `${category}:${encodeURIComponent(tenantId)}:${encodeURIComponent(id)}`;
}

/** The category of a stream id (`schedule` of `schedule:acme:…`). */
export const streamCategoryOf = (streamId: string): string => streamId.slice(0, Math.max(0, streamId.indexOf(':')));

/** The aggregate's own id, decoded (the inverse of {@link streamIdOf}'s last part). */
export function aggregateIdOf(streamId: string): string {
  return decodeURIComponent(streamId.slice(streamId.lastIndexOf(':') + 1));
}
