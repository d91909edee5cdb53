import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Webhook signing secrets at rest: AES-256-GCM under a key from the environment (`WEBHOOK_SECRET_KEY`, 32 bytes as
 * base64 or 64 hex digits, from a k8s secret). Stored as `v1:<iv>:<tag>:<ciphertext>` (base64), with the tenant,
 * endpoint and key id as additional data, so a ciphertext copied to another row does not decrypt.
 */
export class WebhookSecretBox {
  private readonly key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('WEBHOOK_SECRET_KEY must be 32 bytes (base64 or 64 hex digits)');
    this.key = key;
  }

  /** Outside production a fixed development key stands in; production refuses to start without one. */
  static fromEnv(value: string | undefined, production: boolean): WebhookSecretBox {
    if (value === undefined || value === '') {
      if (production) throw new Error('WEBHOOK_SECRET_KEY is required in production');
      return new WebhookSecretBox(createHash('sha256').update('pm-dev-webhook-secret-key (never in production)').digest());
    }
    return new WebhookSecretBox(/^[0-9a-f]{64}$/i.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64'));
  }

  seal(plain: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join(':');
  }

  open(sealed: string, context: string): string {
    const [version, iv, tag, body] = sealed.split(':');
    if (version !== 'v1' || iv === undefined || tag === undefined || body === undefined) throw new Error('Unknown sealed secret format');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
  }
}

export const secretContextOf = (tenantId: string, endpointId: string, keyId: string): string => JSON.stringify([tenantId, endpointId, keyId]);
