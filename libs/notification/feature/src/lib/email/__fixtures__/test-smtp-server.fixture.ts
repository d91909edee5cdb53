import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import type { ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** What the next RCPT TO is answered with; `ok` accepts (250). */
export type SmtpAnswer = 'ok' | { readonly code: number; readonly text: string };

/**
 * A real SMTP server (the `smtp-server` package) on a free local port for integration specs: it parses every message
 * it accepts with `mailparser`, and answers RCPT TO from a queue of scripted answers (4xx, 5xx) before accepting.
 */
export class TestSmtpServer {
  readonly received: ParsedMail[] = [];
  private readonly answers: SmtpAnswer[] = [];
  private readonly server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo: (_address, _session, callback) => {
      const answer = this.answers.shift() ?? 'ok';
      if (answer === 'ok') return callback();
      return callback(Object.assign(new Error(answer.text), { responseCode: answer.code }));
    },
    onData: (stream, _session, callback) => {
      simpleParser(stream)
        .then((mail) => {
          this.received.push(mail);
          callback();
        })
        .catch(callback);
    },
  });

  async start(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.server.address() as AddressInfo).port;
  }

  /** The next RCPT TO commands get these answers, in order; then everything is accepted again. */
  answer(...answers: SmtpAnswer[]): void {
    this.answers.push(...answers);
  }

  to(address: string): ParsedMail[] {
    return this.received.filter((m) => (Array.isArray(m.to) ? m.to : [m.to]).some((t) => t?.value.some((v) => v.address === address)));
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
