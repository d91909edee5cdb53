export * from './lib/notification-feature.module';
export * from './lib/shared/notification-options';
export { InboxReadModel } from './lib/shared/inbox-read-model';
export { classifyEvent } from './lib/events/event-classifier';
export { TICKET_COOKIE } from './lib/stream/inbox-stream.controller';
export * from './lib/webhooks/webhook-options';
export * from './lib/webhooks/webhook-sender';
export { WebhookDeliveryWorker } from './lib/webhooks/webhook-delivery.worker';
export { fanOutToEndpoints } from './lib/webhooks/webhook-events.consumer';
