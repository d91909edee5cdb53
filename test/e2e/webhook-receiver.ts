import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface Received {
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  readonly at: number;
}

type Behaviour = (request: Received) => { status: number; body?: string; delayMs?: number };

/**
 * An integrator's endpoint as a plain node:http server: it records every request and answers per path, by default 204
 * after verifying the Standard Webhooks signature with the secret it was given (401 when it does not verify, or when
 * the timestamp is older than the library's five-minute tolerance).
 */
export class WebhookReceiver {
  readonly received: Received[] = [];
  private readonly secrets = new Map<string, string[]>();
  private readonly behaviours = new Map<string, Behaviour>();
  private server?: http.Server;
  url = '';

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        const path = (req.url ?? '/').split('?')[0];
        const request: Received = { path, headers: req.headers, body, at: Date.now() };
        this.received.push(request);
        const behaviour: Behaviour = this.behaviours.get(path) ?? ((r: Received) => ({ status: this.verifies(r) ? 204 : 401 }));
        const { status, body: answer, delayMs } = behaviour(request);
        setTimeout(() => res.writeHead(status, { 'content-type': 'text/plain' }).end(answer ?? ''), delayMs ?? 0);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  trust(path: string, ...secrets: string[]): void {
    this.secrets.set(path, secrets);
  }

  answer(path: string, behaviour: Behaviour): void {
    this.behaviours.set(path, behaviour);
  }

  at(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  /** Does the request verify with any secret this path trusts (or the given one)? */
  verifies(request: Received, secret?: string): boolean {
    const secrets = secret === undefined ? (this.secrets.get(request.path) ?? []) : [secret];
    return secrets.some((s) => {
      try {
        new Webhook(s).verify(request.body, request.headers as Record<string, string>);
        return true;
      } catch {
        return false;
      }
    });
  }
}
