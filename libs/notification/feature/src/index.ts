export * from './lib/notification-feature.module';
export * from './lib/shared/notification-options';
export { InboxReadModel } from './lib/shared/inbox-read-model';
export { classifyEvent } from './lib/events/event-classifier';
export { TICKET_COOKIE } from './lib/stream/inbox-stream.controller';
export { EMAIL_DIGEST, EMAIL_DUE } from './lib/email/email-items';
export type { EmailOptions, SmtpOptions } from './lib/email/email-options';
