import type { EmailSender } from '@pm/notification/domain';

export const EMAIL_OPTIONS = Symbol('EMAIL_OPTIONS');

export interface SmtpOptions {
  readonly host: string;
  readonly port: number;
  /** TLS from the first byte (465); otherwise STARTTLS when the server offers it. */
  readonly secure: boolean;
  /** Credentials come from the environment (a Kubernetes secret), never from an event or a log line. */
  readonly user?: string;
  readonly password?: string;
  /** Bounds the whole SMTP conversation: it runs while the timer's transaction is open (ADR 0402). */
  readonly timeoutMs: number;
  /**
   * Connections kept open to the server and reused for the next e-mails (nodemailer's pool; each closed after 100
   * messages or when idle): a connection per e-mail cost a TCP and SMTP handshake each (ADR 0402). 0: a connection
   * per e-mail.
   */
  readonly poolConnections: number;
}

export interface EmailOptions {
  readonly smtp: SmtpOptions;
  /** The sender of a tenant that has not set its own. */
  readonly sender: EmailSender;
  /** The UI's base URL; links in e-mail point there. */
  readonly appUrl: string;
  /** The right-hand side of every Message-ID (`<emailId@domain>`): the same e-mail always has the same id. */
  readonly messageIdDomain: string;
  /** Attempts of one e-mail before a 4xx (or no reply) ends it as failed; the waits double from baseMs up to maxMs. */
  readonly retry: { readonly maxAttempts: number; readonly baseMs: number; readonly maxMs: number };
}

export function emailOptions(options: Partial<EmailOptions> = {}): EmailOptions {
  return {
    smtp: { host: '127.0.0.1', port: 2525, secure: false, timeoutMs: 10_000, poolConnections: 5, ...options.smtp },
    sender: { fromName: 'PM Platform', fromAddress: 'notifications@pm.localhost', replyTo: null, ...options.sender },
    appUrl: options.appUrl ?? 'http://localhost:4200',
    messageIdDomain: options.messageIdDomain ?? 'notify.pm.localhost',
    retry: { maxAttempts: 8, baseMs: 60_000, maxMs: 60 * 60_000, ...options.retry },
  };
}
