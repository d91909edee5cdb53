import { configFromEnv } from './config';

describe('notification-service configuration', () => {
  it('sends to the local catcher by default, with the configured sender', () => {
    const { email } = configFromEnv({});
    expect(email?.smtp).toEqual({ host: '127.0.0.1', port: 2525, secure: false, user: undefined, password: undefined, timeoutMs: 10_000, poolConnections: 5 });
    expect(email?.sender).toEqual({ fromName: 'PM Platform', fromAddress: 'notifications@pm.localhost', replyTo: null });
    expect(email?.retry).toMatchObject({ maxAttempts: 8, baseMs: 60_000 });
  });

  it('reads the SMTP relay and its credentials from the environment', () => {
    const { email } = configFromEnv({ SMTP_HOST: 'smtp.example.internal', SMTP_PORT: '587', SMTP_SECURE: 'false', SMTP_USER: 'pm', SMTP_PASSWORD: 's3cret', EMAIL_FROM_ADDRESS: 'pm@example.com' });
    expect(email?.smtp).toMatchObject({ host: 'smtp.example.internal', port: 587, user: 'pm', password: 's3cret' });
    expect(email?.sender?.fromAddress).toBe('pm@example.com');
  });

  it('fails the boot on a sender that would inject headers, naming the variable but not echoing secrets', () => {
    expect(() => configFromEnv({ EMAIL_FROM_ADDRESS: 'pm@example.com\r\nBcc: x@y.example' })).toThrow(/EMAIL_FROM_ADDRESS/);
    expect(() => configFromEnv({ SMTP_PORT: '70000', SMTP_PASSWORD: 's3cret' })).toThrow(/SMTP_PORT/);
    expect(() => configFromEnv({ SMTP_PORT: '70000', SMTP_PASSWORD: 's3cret' })).not.toThrow(/s3cret/);
  });

  it('bounds the source consumer\'s transactions at 1 s unless told otherwise, and refuses a bound out of range', () => {
    expect(configFromEnv({}).consumerMaxBatchMs).toBe(1000);
    expect(configFromEnv({ NOTIFY_CONSUMER_MAX_BATCH_MS: '250' }).consumerMaxBatchMs).toBe(250);
    expect(() => configFromEnv({ NOTIFY_CONSUMER_MAX_BATCH_MS: '0' })).toThrow(/NOTIFY_CONSUMER_MAX_BATCH_MS/);
  });
});
