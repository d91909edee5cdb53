import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { generateWebhookSecret, secretFingerprint, signWebhook } from './webhook-signing';

const payload = JSON.stringify({ specversion: '1.0', id: 'evt-1', type: 'pm.planning.PhaseGateRequested', data: { gate: 'design' } });
const messageId = 'msg_2b0f6f1e-delivery-1';

/** Verifies as a receiver does, with the package's own code and its 5-minute tolerance around the real clock. */
const verify = (secret: string, headers: Record<string, string>, body = payload) => new Webhook(secret).verify(body, headers);

describe('Standard Webhooks signing', () => {
  const current = { keyId: 'whk_2', secret: generateWebhookSecret() };
  const previous = { keyId: 'whk_1', secret: generateWebhookSecret() };

  it('signs so that the standardwebhooks package verifies the payload', () => {
    const headers = signWebhook(messageId, new Date(), payload, [current]);
    expect(headers['webhook-id']).toBe(messageId);
    expect(headers['webhook-timestamp']).toMatch(/^[0-9]{10}$/);
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(verify(current.secret, { ...headers })).toEqual(JSON.parse(payload));
  });

  it('signs with both secrets during a rotation, so either verifies', () => {
    const headers = { ...signWebhook(messageId, new Date(), payload, [current, previous]) };
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(verify(current.secret, headers)).toEqual(JSON.parse(payload));
    expect(verify(previous.secret, headers)).toEqual(JSON.parse(payload));
    expect(() => verify(generateWebhookSecret(), headers)).toThrow(WebhookVerificationError);
  });

  it('is rejected by the receiver when the timestamp is older than its tolerance, or the body or id changed', () => {
    const old = { ...signWebhook(messageId, new Date(Date.now() - 6 * 60 * 1000), payload, [current]) };
    expect(() => verify(current.secret, old)).toThrow('Message timestamp too old');
    const fresh = { ...signWebhook(messageId, new Date(), payload, [current]) };
    expect(() => verify(current.secret, fresh, payload.replace('design', 'build'))).toThrow('No matching signature found');
    expect(() => verify(current.secret, { ...fresh, 'webhook-id': 'msg_other' })).toThrow('No matching signature found');
  });

  it('refuses malformed secrets, ids, timestamps and secret counts', () => {
    expect(() => signWebhook(messageId, new Date(), payload, [{ keyId: 'k', secret: 'whsec_c2hvcnQ=' }])).toThrow('base64 of 24 to 64 bytes');
    expect(() => signWebhook(messageId, new Date(), payload, [{ keyId: 'k', secret: 'not-a-secret' }])).toThrow(/secret/);
    expect(() => signWebhook('has space', new Date(), payload, [current])).toThrow('message id');
    expect(() => signWebhook('x'.repeat(129), new Date(), payload, [current])).toThrow('message id');
    expect(() => signWebhook(messageId, new Date(Number.NaN), payload, [current])).toThrow('timestamp');
    expect(() => signWebhook(messageId, new Date(), payload, [])).toThrow('one secret');
    expect(() => signWebhook(messageId, new Date(), payload, [current, previous, current])).toThrow('one secret');
  });

  it('fingerprints a secret without revealing it, the same way every time', () => {
    const fingerprint = secretFingerprint(current.secret);
    expect(fingerprint).toMatch(/^sha256:[0-9a-f]{16}$/);
    expect(secretFingerprint(current.secret)).toBe(fingerprint);
    expect(secretFingerprint(previous.secret)).not.toBe(fingerprint);
    expect(current.secret).not.toContain(fingerprint.slice(7));
  });
});
