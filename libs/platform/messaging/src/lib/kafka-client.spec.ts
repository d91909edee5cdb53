import { DEFAULT_SESSION_TIMEOUT_MS, sessionTimeoutFromEnv } from './kafka-client';

describe('sessionTimeoutFromEnv', () => {
  it('is 30 s when KAFKA_SESSION_TIMEOUT_MS is unset or blank', () => {
    expect(sessionTimeoutFromEnv({})).toBe(30_000);
    expect(sessionTimeoutFromEnv({ KAFKA_SESSION_TIMEOUT_MS: '  ' })).toBe(DEFAULT_SESSION_TIMEOUT_MS);
  });

  it('takes a whole number of ms within the broker default bounds', () => {
    expect(sessionTimeoutFromEnv({ KAFKA_SESSION_TIMEOUT_MS: '10000' })).toBe(10_000);
    expect(sessionTimeoutFromEnv({ KAFKA_SESSION_TIMEOUT_MS: '6000' })).toBe(6_000);
    expect(sessionTimeoutFromEnv({ KAFKA_SESSION_TIMEOUT_MS: '300000' })).toBe(300_000);
  });

  it.each(['5999', '300001', '10s', '1e4.5', '-10000'])('refuses %s at start rather than let the broker refuse the join', (v) => {
    expect(() => sessionTimeoutFromEnv({ KAFKA_SESSION_TIMEOUT_MS: v })).toThrow(/KAFKA_SESSION_TIMEOUT_MS must be an integer from 6000 to 300000/);
  });
});
