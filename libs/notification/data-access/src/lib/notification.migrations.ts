import { EVENT_STORE_MIGRATIONS } from '@pm/platform/event-store';
import { MESSAGING_MIGRATIONS } from '@pm/platform/messaging';
import { PROJECTION_MIGRATIONS } from '@pm/platform/projections';
import { SCHEDULER_MIGRATIONS } from '@pm/platform/scheduler';
import { NotificationCollaborationSchema1764700000000 } from './collaboration.schema';
import { NotificationEmailSchema1764600000000 } from './email-deliveries.schema';
import { NotificationReadModelSchema1764500000000 } from './notification-read-model.schema';
import { NotificationWebhooksSchema1764600000000 } from './webhooks/notification-webhooks.schema';

/** Everything the notification database needs, in order: the store, relay and inbox, projections, due items, read models. */
export const NOTIFICATION_MIGRATIONS = [
  ...EVENT_STORE_MIGRATIONS,
  ...MESSAGING_MIGRATIONS,
  ...PROJECTION_MIGRATIONS,
  ...SCHEDULER_MIGRATIONS,
  NotificationReadModelSchema1764500000000,
  NotificationEmailSchema1764600000000,
  NotificationWebhooksSchema1764600000000,
  NotificationCollaborationSchema1764700000000,
];
