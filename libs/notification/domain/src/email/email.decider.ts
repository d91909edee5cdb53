import { conflict, ignoreUnknownEvent, unknownCommand } from '@pm/shared/ddd';
import type { CommandMetadata } from '@pm/shared/ddd';
import type { EmailDeliveryAttempted, EmailDeliveryFailed, EmailEvent, EmailSent, SmtpReply } from '../notification.events';
import { uuidMustBeValid } from '../notification.rules';

/**
 * One e-mail (stream `email:<tenant>:<emailId>`): the outcome of each attempt to hand it to the mail server. The id is
 * derived (one per notification, one per person and digest time), so a timer firing again after a crash or a
 * redelivered event lands on the same stream, and an e-mail already sent or failed decides nothing: nothing records a
 * second delivery, and the worker asks `mayAttempt` before it connects at all.
 */

export type EmailState =
  | { readonly status: 'none'; readonly attempts: 0 }
  | { readonly status: 'retrying'; attempts: number }
  | { readonly status: 'sent' | 'failed'; readonly attempts: number };

export const initialEmailState = (): EmailState => ({ status: 'none', attempts: 0 });

/** 2xx accepted; 4xx, or no reply at all (refused, timed out), is worth another try; 5xx is final. */
export type SmtpOutcome = 'accepted' | 'transient' | 'rejected';
export function smtpOutcomeOf(code: number | null): SmtpOutcome {
  if (code !== null && code >= 200 && code < 300) return 'accepted';
  if (code !== null && code >= 500) return 'rejected';
  return 'transient';
}

export interface RecordEmailAttempt {
  readonly type: 'RecordEmailAttempt';
  readonly data: {
    readonly emailId: string;
    readonly recipientId: string;
    readonly kind: 'single' | 'digest';
    readonly notificationIds: readonly string[];
    readonly reply: SmtpReply;
    /** What the reply means (`smtpOutcomeOf`); `rejected` also when no address is known, which no retry would change. */
    readonly outcome: SmtpOutcome;
    /** The Message-ID header of what was sent (an accepted attempt). */
    readonly messageId: string | null;
    /** When a transient refusal is tried again, if attempts remain. */
    readonly nextAttemptAt: string;
    readonly maxAttempts: number;
  };
  readonly metadata: CommandMetadata;
}
export type EmailCommand = RecordEmailAttempt;

export const mayAttempt = (state: EmailState): boolean => state.status === 'none' || state.status === 'retrying';

function recordEmailAttempt(command: RecordEmailAttempt, state: EmailState): Array<EmailSent | EmailDeliveryAttempted | EmailDeliveryFailed> {
  if (!mayAttempt(state)) return [];
  const d = command.data;
  const of = { emailId: uuidMustBeValid('emailId', d.emailId), recipientId: d.recipientId, kind: d.kind, notificationIds: [...d.notificationIds] };
  const attempt = state.attempts + 1;
  const now = command.metadata.now;
  const outcome = d.outcome;
  switch (outcome) {
    case 'accepted':
      if (d.messageId === null) throw conflict('EMAIL_MESSAGE_ID_MISSING', 'An accepted e-mail names its Message-ID');
      return [{ type: 'EmailSent', data: { ...of, attempts: attempt, messageId: d.messageId, reply: d.reply, sentAt: now } }];
    case 'rejected':
      return [{ type: 'EmailDeliveryFailed', data: { ...of, attempts: attempt, reply: d.reply, reason: 'rejected', failedAt: now } }];
    case 'transient':
      if (attempt >= d.maxAttempts) return [{ type: 'EmailDeliveryFailed', data: { ...of, attempts: attempt, reply: d.reply, reason: 'retries-exhausted', failedAt: now } }];
      return [{ type: 'EmailDeliveryAttempted', data: { ...of, attempt, reply: d.reply, nextAttemptAt: d.nextAttemptAt, attemptedAt: now } }];
    default:
      return unknownCommand(outcome);
  }
}

export function decideEmail(command: EmailCommand, state: EmailState): EmailEvent[] {
  switch (command.type) {
    case 'RecordEmailAttempt':
      return recordEmailAttempt(command, state);
    default:
      // One command today: the exhaustiveness check holds when a second joins the union.
      return unknownCommand(command as never);
  }
}

export function evolveEmail(state: EmailState, event: EmailEvent): EmailState {
  switch (event.type) {
    case 'EmailDeliveryAttempted':
      return { status: 'retrying', attempts: event.data.attempt };
    case 'EmailSent':
      return { status: 'sent', attempts: event.data.attempts };
    case 'EmailDeliveryFailed':
      return { status: 'failed', attempts: event.data.attempts };
    default:
      return ignoreUnknownEvent(state, event);
  }
}

export const emailDecider = { decide: decideEmail, evolve: evolveEmail, initialState: initialEmailState };
