import { createHash, randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/**
 * Standard Webhooks signing (https://www.standardwebhooks.com): `webhook-id`, `webhook-timestamp` (Unix seconds) and
 * `webhook-signature`, an HMAC-SHA256 of `id.timestamp.body` per secret, space-separated. During a rotation's overlap
 * both the new and the previous secret sign, so a receiver verifies with whichever it holds (the spec allows several).
 */

export interface WebhookSecret {
  /** Names the secret in events and logs (`WebhookSecretRotated.key.keyId`). */
  readonly keyId: string;
  /** `whsec_` + base64 of at least 24 random bytes, as the spec writes secrets. */
  readonly secret: string;
}

export interface WebhookHeaders {
  readonly 'webhook-id': string;
  readonly 'webhook-timestamp': string;
  readonly 'webhook-signature': string;
}

const SECRET_PREFIX = 'whsec_';
const MIN_SECRET_BYTES = 24;
const MAX_SECRET_BYTES = 64;
/** A message id the receiver uses to dedupe: printable ASCII without spaces, bounded. */
const MESSAGE_ID = /^[\x21-\x7e]{1,128}$/;

export class WebhookSigningError extends Error {
  constructor(readonly code: 'WEBHOOK_SECRET_INVALID' | 'WEBHOOK_SECRETS_INVALID' | 'WEBHOOK_MESSAGE_ID_INVALID' | 'WEBHOOK_TIMESTAMP_INVALID', message: string) {
    super(message);
    this.name = 'WebhookSigningError';
  }
}

/** A fresh secret in the spec's format (shown once to the pmo-admin, then stored encrypted). */
export function generateWebhookSecret(bytes = 32): string {
  if (!Number.isInteger(bytes) || bytes < MIN_SECRET_BYTES || bytes > MAX_SECRET_BYTES) {
    throw new WebhookSigningError('WEBHOOK_SECRET_INVALID', `A secret has ${MIN_SECRET_BYTES} to ${MAX_SECRET_BYTES} bytes`);
  }
  return SECRET_PREFIX + randomBytes(bytes).toString('base64');
}

function keyOf(secret: string): Buffer {
  const body = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : '';
  const key = /^[A-Za-z0-9+/]+={0,2}$/.test(body) ? Buffer.from(body, 'base64') : Buffer.alloc(0);
  if (key.length < MIN_SECRET_BYTES || key.length > MAX_SECRET_BYTES) {
    throw new WebhookSigningError('WEBHOOK_SECRET_INVALID', `A secret is whsec_ and base64 of ${MIN_SECRET_BYTES} to ${MAX_SECRET_BYTES} bytes`);
  }
  return key;
}

/**
 * `sha256:` + the first 16 hex digits of SHA-256 of the secret's key: what events and the UI show to tell secrets
 * apart. 64 bits of a hash of a 192-bit-or-more random key say nothing usable about the key.
 */
export function secretFingerprint(secret: string): string {
  return `sha256:${createHash('sha256').update(keyOf(secret)).digest('hex').slice(0, 16)}`;
}

/** The headers of one delivery: one signature per active secret (one, or two during a rotation's overlap). */
export function signWebhook(messageId: string, timestamp: Date, payload: string, secrets: readonly WebhookSecret[]): WebhookHeaders {
  if (!MESSAGE_ID.test(messageId)) throw new WebhookSigningError('WEBHOOK_MESSAGE_ID_INVALID', 'A message id is 1 to 128 printable ASCII characters');
  if (secrets.length < 1 || secrets.length > 2) throw new WebhookSigningError('WEBHOOK_SECRETS_INVALID', 'Sign with one secret, or two during a rotation');
  const time = timestamp.getTime();
  if (!Number.isFinite(time) || time < 0) throw new WebhookSigningError('WEBHOOK_TIMESTAMP_INVALID', 'A timestamp is a valid date after 1970');
  const signatures = secrets.map(({ secret }) => new Webhook(keyOf(secret).toString('base64')).sign(messageId, timestamp, payload));
  return { 'webhook-id': messageId, 'webhook-timestamp': String(Math.floor(time / 1000)), 'webhook-signature': signatures.join(' ') };
}
