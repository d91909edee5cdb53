import 'reflect-metadata';
import { hostModule, runService } from '@pm/platform/observability';

runService({
  serviceName: 'risk-service',
  port: 3003,
  openApi: {
    title: 'Risk service',
    description: 'Risk register, responses and mitigation actions, overdue reviews and actions, the issue log and tenant risk settings. Every change is a pm.risk.* event.',
  },
  // Loaded after telemetry starts so pg and kafkajs are instrumented.
  loadModule: async () => hostModule(await import('./app.module'), await import('./config')),
});
