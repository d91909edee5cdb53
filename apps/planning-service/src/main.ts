import 'reflect-metadata';
import { hostModule, runService } from '@pm/platform/observability';

runService({
  serviceName: 'planning-service',
  port: 3001,
  openApi: { title: 'Planning service', description: 'Projects, schedule and change control. Every change is a pm.planning.* event.' },
  // Loaded after telemetry starts so pg and kafkajs are instrumented.
  loadModule: async () => hostModule(await import('./app.module'), await import('./config')),
});
