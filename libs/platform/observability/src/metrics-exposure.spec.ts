import { hasMetricsToken, resolveMetricsExposure } from './metrics-exposure';

describe('resolveMetricsExposure', () => {
  const token = 'a-metrics-token-of-20c';

  it.each([
    ['a port of its own', { METRICS_PORT: '9464' }, { port: 9464, mainPort: 'off' }],
    ['a port and a token', { METRICS_PORT: '9464', METRICS_TOKEN: token }, { port: 9464, token, mainPort: 'off' }],
    ['a token only', { METRICS_TOKEN: token, NODE_ENV: 'production' }, { token, mainPort: 'token' }],
    ['nothing, in production', { NODE_ENV: 'production' }, { mainPort: 'off' }],
    ['nothing, in development', {}, { mainPort: 'open' }],
  ])('serves /metrics as configured: %s', (_case, env, expected) => {
    expect(resolveMetricsExposure(env)).toEqual(expected);
  });

  it('refuses a bad port and a short token at startup', () => {
    expect(() => resolveMetricsExposure({ METRICS_PORT: 'http' })).toThrow(/METRICS_PORT/);
    expect(() => resolveMetricsExposure({ METRICS_TOKEN: 'short' })).toThrow(/16 characters/);
  });

  it('matches the bearer token exactly', () => {
    expect(hasMetricsToken(`Bearer ${token}`, token)).toBe(true);
    expect(hasMetricsToken(`Bearer ${token}x`, token)).toBe(false);
    expect(hasMetricsToken(token, token)).toBe(false);
    expect(hasMetricsToken(undefined, token)).toBe(false);
  });
});
