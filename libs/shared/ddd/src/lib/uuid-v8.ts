/**
 * 128 bits of a hash (32 hex digits) laid out as a UUID of version 8 (RFC 9562, "custom"): the version nibble and the
 * variant bits overwrite 6 of them. For ids derived from their inputs, so a replayed event names the same entity.
 */
export function uuidV8FromHex(hex: string): string {
  if (!/^[0-9a-f]{32}/.test(hex)) throw new RangeError('uuidV8FromHex needs at least 32 lowercase hex digits');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
