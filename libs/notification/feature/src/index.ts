export * from './lib/notification-feature.module';
export * from './lib/shared/notification-options';
export { InboxReadModel } from './lib/shared/inbox-read-model';
export { classifyEvent } from './lib/events/event-classifier';
export { TICKET_COOKIE } from './lib/stream/inbox-stream.controller';
export { NotificationWriter } from './lib/events/notification-writer';
export { ESCALATION_CHECK } from './lib/escalation/escalations';
export { COMMUNICATION_RUN } from './lib/stakeholders/communication-runs';
export { CommentsReadModel } from './lib/comments/comments-read-model';
