import { randomBytes } from 'node:crypto';
import { WebhookSecretBox, secretContextOf } from './webhook-secret-box';

describe('WebhookSecretBox', () => {
  const box = new WebhookSecretBox(randomBytes(32));
  const context = secretContextOf('tenant-1', 'c3d4e5f6-a7b8-4c9d-8e1f-2a3b4c5d6e7f', 'whk_1');
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwMfKQ9r8GKYq=';

  it('opens what it sealed, and never shows the secret in the sealed text', () => {
    const sealed = box.seal(secret, context);
    expect(sealed).toMatch(/^v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
    expect(sealed).not.toContain(secret.slice(6, 20));
    expect(box.open(sealed, context)).toBe(secret);
    expect(box.seal(secret, context)).not.toBe(sealed);
  });

  it('refuses a tampered ciphertext, another row’s context and another key', () => {
    const sealed = box.seal(secret, context);
    const [v, iv, tag, body] = sealed.split(':');
    const flipped = Buffer.from(body, 'base64');
    flipped[0] ^= 1;
    expect(() => box.open([v, iv, tag, flipped.toString('base64')].join(':'), context)).toThrow();
    expect(() => box.open(sealed, secretContextOf('tenant-2', 'c3d4e5f6-a7b8-4c9d-8e1f-2a3b4c5d6e7f', 'whk_1'))).toThrow();
    expect(() => new WebhookSecretBox(randomBytes(32)).open(sealed, context)).toThrow();
    expect(() => box.open('v0:x', context)).toThrow('Unknown sealed secret format');
  });

  it('takes its key from the environment as hex or base64, requires it in production, and refuses a wrong length', () => {
    const key = randomBytes(32);
    const sealed = WebhookSecretBox.fromEnv(key.toString('hex'), true).seal(secret, context);
    expect(WebhookSecretBox.fromEnv(key.toString('base64'), true).open(sealed, context)).toBe(secret);
    expect(() => WebhookSecretBox.fromEnv(undefined, true)).toThrow('WEBHOOK_SECRET_KEY is required in production');
    expect(() => WebhookSecretBox.fromEnv('', true)).toThrow('required in production');
    expect(WebhookSecretBox.fromEnv(undefined, false).open(WebhookSecretBox.fromEnv(undefined, false).seal(secret, context), context)).toBe(secret);
    expect(() => WebhookSecretBox.fromEnv(randomBytes(16).toString('base64'), true)).toThrow('32 bytes');
  });
});
