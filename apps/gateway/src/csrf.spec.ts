import type { IncomingMessage } from 'node:http';
import { csrfRefusal } from './csrf';

const req = (method: string, headers: Record<string, string>) => ({ method, headers }) as unknown as IncomingMessage;
const own = { host: 'pm.example:3000', origin: 'https://pm.example:3000', 'x-requested-with': 'pm-web' };

describe('csrfRefusal (docs/security.md, a BFF with a cookie)', () => {
  it('lets reads through without checks', () => {
    for (const method of ['GET', 'HEAD', 'OPTIONS']) expect(csrfRefusal(req(method, {}))).toBeNull();
  });

  it('lets a write through only with the custom header and an Origin of this host', () => {
    expect(csrfRefusal(req('POST', own))).toBeNull();
    expect(csrfRefusal(req('DELETE', own))).toBeNull();
  });

  it.each([
    ['no custom header', { host: own.host, origin: own.origin }],
    ['a wrong custom header value', { ...own, 'x-requested-with': 'XMLHttpRequest' }],
    ['no Origin', { host: own.host, 'x-requested-with': 'pm-web' }],
    ['another origin', { ...own, origin: 'https://evil.example' }],
    ['a look-alike origin', { ...own, origin: 'https://pm.example:3000.evil.example' }],
    ['Origin null (sandboxed frame)', { ...own, origin: 'null' }],
  ])('refuses a write with %s', (_name, headers) => {
    expect(csrfRefusal(req('POST', headers))).toEqual(expect.any(String));
  });
});
