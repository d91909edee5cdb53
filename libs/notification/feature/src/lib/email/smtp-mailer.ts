import { Inject, Injectable } from '@nestjs/common';
import type { OnModuleDestroy } from '@nestjs/common';
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type { EmailSender, RenderedEmail, SmtpReply } from '@pm/notification/domain';
import { EMAIL_OPTIONS } from './email-options';
import type { EmailOptions } from './email-options';

export interface OutgoingEmail extends RenderedEmail {
  readonly to: string;
  readonly sender: EmailSender;
  /** `<emailId@domain>`: a retried or repeated send carries the same id, so mail systems can tell it is one message. */
  readonly messageId: string;
}

const MAX_REPLY = 512;
const replyOf = (code: number | null, text: string | undefined): SmtpReply => ({ code, text: (text ?? '').replace(/[\p{Cc}]+/gu, ' ').slice(0, MAX_REPLY) });

/** The reply code at the start of the server's last line ("250 2.0.0 OK"), or null. */
function codeOf(response: string | undefined): number | null {
  const match = /^([2-5][0-9]{2})[ -]/.exec(response ?? '');
  return match ? Number(match[1]) : null;
}

/**
 * Hands one e-mail to the configured SMTP server with nodemailer and reports the server's reply as data: a 2xx, a 4xx
 * or 5xx refusal (nodemailer's `responseCode`), or null when no reply came (refused connection, timeout). It never
 * throws for an SMTP outcome, and never logs the message or the credentials.
 */
@Injectable()
export class SmtpMailer implements OnModuleDestroy {
  private readonly transport: Transporter;

  constructor(@Inject(EMAIL_OPTIONS) options: EmailOptions) {
    const { host, port, secure, user, password, timeoutMs, poolConnections } = options.smtp;
    this.transport = nodemailer.createTransport({
      // Connections reused across e-mails: a TCP (and TLS) handshake, greeting and EHLO per e-mail were most of the
      // cost of sending at a sustained rate, on both sides.
      ...(poolConnections > 0
        ? {
            pool: true as const,
            maxConnections: poolConnections,
            maxMessages: 100,
            idleTimeout: 30_000,
            // A connection the server closed mid-message (a 421) fails that attempt: retries are ours, on the durable
            // scheduler with their backoff and visible attempts (ADR 0402), not hidden in the pool.
            maxRequeues: 0,
          }
        : {}),
      host,
      port,
      secure,
      ...(user ? { auth: { user, pass: password ?? '' } } : {}),
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
      // Nothing in a message may make nodemailer read a file or fetch a URL.
      disableFileAccess: true,
      disableUrlAccess: true,
      logger: false,
    });
  }

  async send(mail: OutgoingEmail): Promise<SmtpReply> {
    try {
      const info = (await this.transport.sendMail({
        from: { name: mail.sender.fromName, address: mail.sender.fromAddress },
        ...(mail.sender.replyTo === null ? {} : { replyTo: mail.sender.replyTo }),
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
        headers: { 'Auto-Submitted': 'auto-generated' },
      })) as { response?: string };
      return replyOf(codeOf(info.response) ?? 250, info.response);
    } catch (error) {
      const e = error as { responseCode?: number; response?: string; code?: string };
      const code = typeof e.responseCode === 'number' && e.responseCode >= 200 && e.responseCode <= 599 ? e.responseCode : null;
      return replyOf(code, code === null ? `no reply: ${e.code ?? 'connection failed'}` : e.response);
    }
  }

  onModuleDestroy(): void {
    this.transport.close();
  }
}
