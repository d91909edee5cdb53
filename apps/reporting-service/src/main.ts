import 'reflect-metadata';
import { hostModule, runService } from '@pm/platform/observability';

runService({
  serviceName: 'reporting-service',
  port: 3005,
  openApi: { title: 'Reporting service', description: 'Portfolio read models projected from every context topic.' },
  // Loaded after telemetry starts so pg and kafkajs are instrumented.
  loadModule: async () => hostModule(await import('./app.module'), await import('./config')),
});
