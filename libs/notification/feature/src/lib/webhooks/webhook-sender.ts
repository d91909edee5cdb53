import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import type { LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import { UNSTORABLE_TEXT } from '@pm/platform/http';
import { addressMayBeReached, classifyAddress } from '@pm/platform/webhooks';

/** Resolves a host name to every address it has (the SSRF guard judges them all). */
export type WebhookResolver = (hostname: string) => Promise<ReadonlyArray<{ readonly address: string; readonly family: number }>>;
export const systemResolver: WebhookResolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

export interface WebhookRequest {
  readonly url: string;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly privateAddressesAllowed: boolean;
  readonly timeoutMs: number;
}

export interface WebhookResponse {
  readonly status: number | null;
  readonly error: string | null;
  readonly durationMs: number;
  readonly responseBody: string | null;
}

const BODY_CHARS = 1024;
/** NUL and lone surrogates (PostgreSQL's jsonb refuses them; a cut may split a pair): what a receiver answers is data. */
const UNSTORABLE = new RegExp(UNSTORABLE_TEXT.source, 'g');
const storable = (text: string): string => text.replace(UNSTORABLE, '\ufffd');

/**
 * The SSRF guard's I/O half (ADR 0403): resolve the host once, refuse unless every address may be reached (a private,
 * loopback, link-local or IPv4-carrying address only when a pmo-admin allowed it), then connect to the address that was
 * judged — the socket's `lookup` answers with it, so a second resolution (DNS rebinding) never happens; TLS still
 * verifies the certificate for the URL's host name (SNI). Redirects are not followed: a 3xx is a failed attempt.
 */
export async function sendWebhook(request: WebhookRequest, resolve: WebhookResolver = systemResolver): Promise<WebhookResponse> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const failed = (error: string): WebhookResponse => ({ status: null, error: error.slice(0, 200), durationMs: elapsed(), responseBody: null });
  const url = new URL(request.url);
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  let addresses: ReadonlyArray<{ address: string; family: number }>;
  try {
    addresses = isIP(host) !== 0 ? [{ address: host, family: isIP(host) }] : await resolve(host);
  } catch (error) {
    return failed(`DNS: ${(error as { code?: string }).code ?? 'lookup failed'}`);
  }
  if (addresses.length === 0) return failed('DNS: no address');
  const refused = addresses.find(({ address }) => !addressMayBeReached(address, request.privateAddressesAllowed));
  if (refused !== undefined) return failed(`address refused by the SSRF guard: ${classifyAddress(refused.address).category}`);
  const pinned = addresses[0];
  const lookup = (_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void): void => {
    if (options?.all) callback(null, [{ address: pinned.address, family: pinned.family } satisfies LookupAddress]);
    else callback(null, pinned.address, pinned.family);
  };
  return new Promise<WebhookResponse>((done) => {
    const client = url.protocol === 'https:' ? https : http;
    const req = client.request(
      {
        protocol: url.protocol,
        hostname: isIP(host) !== 0 ? host : url.hostname,
        port: url.port === '' ? undefined : Number(url.port),
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        agent: false,
        lookup: lookup as never,
        ...(url.protocol === 'https:' && isIP(host) === 0 ? { servername: host } : {}),
        headers: { ...request.headers, 'content-type': 'application/cloudevents+json', 'content-length': Buffer.byteLength(request.body), 'user-agent': 'pm-webhooks/1' },
        timeout: request.timeoutMs,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        const finish = () => {
          res.destroy();
          done({ status: res.statusCode ?? null, error: res.statusCode === undefined ? 'no status' : null, durationMs: elapsed(), responseBody: text === '' ? null : storable(text.slice(0, BODY_CHARS)) });
        };
        res.on('data', (chunk: string) => {
          text += chunk;
          if (text.length >= BODY_CHARS) finish();
        });
        res.on('end', finish);
        res.on('error', finish);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (error: NodeJS.ErrnoException) => done(failed(error.message === 'timeout' ? 'timeout' : (error.code ?? 'connection failed'))));
    req.end(request.body);
  });
}
