import type { HttpRequest } from '../http-request.types';
import { ProblemException } from '../problem.exception';
import { IDEMPOTENCY_CODES, parseIdempotencyKey, rememberRawBody, requestFingerprint } from './idempotency-key';

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return error instanceof ProblemException ? `${error.problem.status} ${error.problem.code}` : 'not a problem';
  }
}

function request(method: string, url: string, body?: string, contentType = 'application/json'): HttpRequest {
  const req = { method, url, originalUrl: url, headers: { 'content-type': contentType, ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }) } } as unknown as HttpRequest;
  if (body !== undefined) rememberRawBody(req, undefined, Buffer.from(body));
  return req;
}

describe('Idempotency-Key', () => {
  describe('parseIdempotencyKey', () => {
    it('accepts a bare key and the draft\'s structured-field string as the same key', () => {
      expect(parseIdempotencyKey('8e03978e-40d5-43e8-bc93-6894a57f9324')).toBe('8e03978e-40d5-43e8-bc93-6894a57f9324');
      expect(parseIdempotencyKey('"8e03978e-40d5-43e8-bc93-6894a57f9324"')).toBe('8e03978e-40d5-43e8-bc93-6894a57f9324');
    });

    it('accepts 1 and 255 visible ASCII characters, and keys that name prototype members as plain data', () => {
      expect(parseIdempotencyKey('x')).toBe('x');
      expect(parseIdempotencyKey('~'.repeat(255))).toHaveLength(255);
      expect(parseIdempotencyKey('__proto__')).toBe('__proto__');
      expect(parseIdempotencyKey('constructor')).toBe('constructor');
    });

    it.each([
      ['empty', ''],
      ['empty quotes', '""'],
      ['256 characters', 'a'.repeat(256)],
      ['10 kB', 'k'.repeat(10_240)],
      ['a NUL', 'key\u0000x'],
      ['a space', 'two words'],
      ['a tab', 'a\tb'],
      ['non-ASCII', 'clé'],
      ['a lone surrogate', 'a\ud800b'],
      ['a DEL', 'a\u007fb'],
      ['a quote inside the structured string', '"a"b"'],
      ['the header sent twice (joined by Node)', 'one, two'],
    ])('refuses %s with 400 IDEMPOTENCY_KEY_INVALID', (_name, value) => {
      expect(codeOf(() => parseIdempotencyKey(value))).toBe(`400 ${IDEMPOTENCY_CODES.invalid}`);
    });

    it('refuses two copies of the header given as an array', () => {
      expect(codeOf(() => parseIdempotencyKey(['a', 'b']))).toBe(`400 ${IDEMPOTENCY_CODES.invalid}`);
    });
  });

  describe('requestFingerprint', () => {
    const base = requestFingerprint(request('POST', '/projects/p1/risks', '{"title":"Vendor late","kind":"threat"}'));

    it('is the same for the same method, path and bytes, and a sha-256 in hex', () => {
      expect(requestFingerprint(request('POST', '/projects/p1/risks', '{"title":"Vendor late","kind":"threat"}'))).toBe(base);
      expect(base).toMatch(/^[0-9a-f]{64}$/);
    });

    it.each([
      ['another body', request('POST', '/projects/p1/risks', '{"title":"Vendor early","kind":"threat"}')],
      ['another method', request('PUT', '/projects/p1/risks', '{"title":"Vendor late","kind":"threat"}')],
      ['another path', request('POST', '/projects/p2/risks', '{"title":"Vendor late","kind":"threat"}')],
      ['another query', request('POST', '/projects/p1/risks?dryRun=true', '{"title":"Vendor late","kind":"threat"}')],
      ['another content type', request('POST', '/projects/p1/risks', '{"title":"Vendor late","kind":"threat"}', 'application/merge-patch+json')],
    ])('differs for %s', (_name, other) => {
      expect(requestFingerprint(other)).not.toBe(base);
    });

    it('tells an empty body from none and a streamed body by its declared length', () => {
      const none = requestFingerprint(request('POST', '/x'));
      expect(requestFingerprint(request('POST', '/x', ''))).not.toBe(none);
      const streamed = (length: string) => requestFingerprint({ method: 'POST', url: '/import', originalUrl: '/import', headers: { 'content-type': 'application/xml', 'content-length': length } } as unknown as HttpRequest);
      expect(streamed('100')).toBe(streamed('100'));
      expect(streamed('100')).not.toBe(streamed('101'));
    });

    it('hashes a hostile body (deep nesting, __proto__ keys) as bytes without walking it', () => {
      const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
      expect(requestFingerprint(request('POST', '/x', deep))).toMatch(/^[0-9a-f]{64}$/);
      expect(requestFingerprint(request('POST', '/x', '{"__proto__":{"admin":true}}'))).not.toBe(requestFingerprint(request('POST', '/x', '{"__proto__":{"admin":false}}')));
    });
  });
});
