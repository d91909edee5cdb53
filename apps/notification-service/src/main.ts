import 'reflect-metadata';
import { hostModule, runService } from '@pm/platform/observability';

runService({
  serviceName: 'notification-service',
  port: 3004,
  openApi: {
    title: 'Notification service',
    description: 'My in-app inbox (read, archive, unread count, live stream), my channel preferences, quiet hours and digest cadence, and my subscriptions. Fed by every other context’s events; every change is a pm.notification.* event.',
  },
  // Loaded after telemetry starts so pg and kafkajs are instrumented.
  loadModule: async () => hostModule(await import('./app.module'), await import('./config')),
});
