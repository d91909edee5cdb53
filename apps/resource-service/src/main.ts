import 'reflect-metadata';
import type { Type } from '@nestjs/common';
import { bootstrapService } from '@pm/platform/observability';

void bootstrapService({
  serviceName: 'resource-service',
  port: 3002,
  openApi: {
    title: 'Resource service',
    description: 'Resource pool, capacity, assignments, over-allocation, timesheets and budgets. Every change is a pm.resource.* event.',
  },
  // Loaded after telemetry starts so pg and kafkajs are instrumented.
  loadModule: async () => {
    const { AppModule } = await import('./app.module');
    const { configFromEnv } = await import('./config');
    return AppModule.register(configFromEnv()) as unknown as Type<unknown>;
  },
}).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
