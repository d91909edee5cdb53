import { createHash } from 'node:crypto';

/** Fixed namespace of every id this service derives from an imported file (a random v4, chosen once). */
const IMPORT_NAMESPACE = '3f0c6b52-8d4e-4c1a-9f57-2b8e6d7a1c90';

/**
 * A name-based (RFC 9562 version 5) UUID from the tenant, the client's import id, what is named and the
 * file's UID. The same file imported again under the same import id lands on the same streams, so the
 * second run registers nothing new; the tenant is part of the name so two tenants never share a stream.
 */
export function importedId(tenantId: string, importId: string, kind: 'resource' | 'assignment', uid: number): string {
  const namespace = Buffer.from(IMPORT_NAMESPACE.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(namespace).update(`${tenantId}\u0000${importId}\u0000${kind}\u0000${uid}`).digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
