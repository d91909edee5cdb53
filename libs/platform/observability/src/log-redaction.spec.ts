import { REDACTED, redactSensitive, redactUrl } from './log-redaction';

describe('redactSensitive', () => {
  it('replaces values under secret-looking keys at any depth, arrays included', () => {
    const input = {
      user: 'alice',
      userPassword: 'p1',
      config: { db: { connection: { password: 'p2', host: 'db' } }, jwtSecret: 's', refreshToken: 't' },
      webhooks: [{ url: 'https://x', apiKey: 'k', headers: { Authorization: 'Bearer abc', Cookie: 'c' } }],
    };
    expect(redactSensitive(input)).toEqual({
      user: 'alice',
      userPassword: REDACTED,
      config: { db: { connection: { password: REDACTED, host: 'db' } }, jwtSecret: REDACTED, refreshToken: REDACTED },
      webhooks: [{ url: 'https://x', apiKey: REDACTED, headers: { Authorization: REDACTED, Cookie: REDACTED } }],
    });
    expect(input.config.db.connection.password).toBe('p2');
  });

  it('keeps ordinary keys, errors, class instances and cycles intact', () => {
    const error = new Error('boom');
    const cyclic: Record<string, unknown> = { name: 'loop', passed: true, bypass: 'yes' };
    cyclic['self'] = cyclic;
    const when = new Date(0);
    const out = redactSensitive({ err: error, cyclic, when });
    expect(out.err).toBe(error);
    expect(out.when).toBe(when);
    expect(out.cyclic).toMatchObject({ name: 'loop', passed: true, bypass: 'yes' });
  });

  it('keeps a key such as __proto__ as a key of the copy (it would otherwise set the copy\'s prototype)', () => {
    const logged = JSON.parse('{"__proto__": {"password": "p", "taskId": "x"}, "constructor": 1}');
    const copy = redactSensitive(logged) as Record<string, unknown>;
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(copy, '__proto__')?.value).toEqual({ password: '[REDACTED]', taskId: 'x' });
    expect(copy['constructor']).toBe(1);
  });
});

describe('redactUrl', () => {
  it('replaces the values of credential-looking query parameters, and keeps the rest of the URL', () => {
    expect(redactUrl('/stream?access_token=eyJabc.def&project=p-1&api-key=k&page=2')).toBe(
      `/stream?access_token=${encodeURIComponent(REDACTED)}&project=p-1&api-key=${encodeURIComponent(REDACTED)}&page=2`,
    );
    // The inbox stream refuses a ticket in the URL (ADR 0401), but a client that sends one anyway is not logged with it.
    expect(redactUrl('/inbox/stream?ticket=abc')).toBe(`/inbox/stream?ticket=${encodeURIComponent(REDACTED)}`);
    expect(redactUrl('/projects/p-1?fields=name')).toBe('/projects/p-1?fields=name');
    expect(redactUrl('/projects')).toBe('/projects');
    expect(redactUrl('/x?%E0%A4%A=1&token')).toBe('/x?%E0%A4%A=1&token');
  });
});
