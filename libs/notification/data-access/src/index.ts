export * from './lib/notification.migrations';
export * from './lib/notification-read-model.schema';
export * from './lib/inbox.projection';
export * from './lib/inbox.queries';
export * from './lib/directory';
export * from './lib/stream-tickets';
