import 'reflect-metadata';
import { hostModule, runService } from '@pm/platform/observability';

runService({
  serviceName: 'resource-service',
  port: 3002,
  openApi: {
    title: 'Resource service',
    description: 'Resource pool, capacity, assignments, over-allocation, timesheets and budgets. Every change is a pm.resource.* event.',
  },
  // Loaded after telemetry starts so pg and kafkajs are instrumented.
  loadModule: async () => hostModule(await import('./app.module'), await import('./config')),
});
