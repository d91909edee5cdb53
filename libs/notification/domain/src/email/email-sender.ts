import { invalid } from '@pm/shared/ddd';
import type { EmailSender } from '../notification.events';

// The same shapes as the contract's (libs/contracts email.contracts.ts): these values go into mail headers, so a line
// break, a quote or an angle bracket would let a tenant add headers of its own (Bcc:) to every message.
const ADDRESS = /^[^\s@<>",;:\\()[\]\p{Cc}]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/u;
const DISPLAY_NAME = /^[^\p{Cc}<>"\\]{1,100}$/u;

export function emailAddressMustBeValid(field: string, value: string): string {
  if (typeof value !== 'string' || value.length > 254 || !ADDRESS.test(value)) throw invalid('EMAIL_ADDRESS_INVALID', `${field} is an address local@domain.tld`, { field });
  return value;
}

export function emailSenderMustBeValid(sender: EmailSender): EmailSender {
  const fromName = typeof sender.fromName === 'string' ? sender.fromName.trim() : '';
  if (!DISPLAY_NAME.test(fromName)) throw invalid('EMAIL_SENDER_NAME_INVALID', 'fromName is 1 to 100 characters without controls, angle brackets, quotes or backslashes', { field: 'fromName' });
  return {
    fromName,
    fromAddress: emailAddressMustBeValid('fromAddress', sender.fromAddress),
    replyTo: sender.replyTo === null ? null : emailAddressMustBeValid('replyTo', sender.replyTo),
  };
}
