/**
 * A UUID of version 8 (RFC 9562's custom layout) from at least 32 hex digits of a hash: the version and variant bits
 * are set, the rest is the hash. Ids derived this way are pure functions of what they name (a redelivered or replayed
 * event names the same stream every time), and the contracts' uuid format accepts them.
 */
export function uuidV8FromHex(hex: string): string {
  if (!/^[0-9a-f]{32,}$/.test(hex)) throw new Error('uuidV8FromHex needs at least 32 lower-case hex digits');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
