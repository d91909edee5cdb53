import { apiTarget } from './api-path';

describe('apiTarget (which service, which path)', () => {
  it('maps /api/<service>/<rest> to that service with the rest and the query kept as sent', () => {
    expect(apiTarget('/api/reporting/portfolio?asOf=2026-03-05T09%3A30%3A00Z&limit=25')).toEqual({ ok: true, service: 'reporting', path: '/portfolio?asOf=2026-03-05T09%3A30%3A00Z&limit=25' });
    expect(apiTarget('/api/planning/projects/5d1f%20x')).toEqual({ ok: true, service: 'planning', path: '/projects/5d1f%20x' });
    expect(apiTarget('/api/notification')).toEqual({ ok: true, service: 'notification', path: '/' });
  });

  it.each([
    ['/api/../auth/session'],
    ['/api/planning/../risk/risks'],
    ['/api/planning/%2e%2e/risk'],
    ['/api/planning/%2E/x'],
    ['/api/planning/a%2fb'],
    ['/api/planning/a%5Cb'],
    ['/api/planning/a\\b'],
    ['/api/planning/%00'],
    ['/api/planning/%ED%A0%80'], // a lone surrogate (U+D800) in UTF-8 is malformed
    ['/api/planning/%E0%A4%A'],
  ])('refuses %s with 400 PATH_INVALID', (raw) => {
    expect(apiTarget(raw)).toMatchObject({ ok: false, status: 400, code: 'PATH_INVALID' });
  });

  it.each([['/api/'], ['/api'], ['/api/constructor/x'], ['/api/__proto__/x'], ['/api/toString'], ['/api/Planning/projects'], [`/api/${'a'.repeat(100_000)}`]])(
    'answers %s with 404 SERVICE_UNKNOWN, without echoing the name',
    (raw) => {
      const target = apiTarget(raw);
      expect(target).toMatchObject({ ok: false, status: 404, code: 'SERVICE_UNKNOWN' });
      expect(JSON.stringify(target)).not.toMatch(/aaaa|proto|constructor/);
    },
  );
});
