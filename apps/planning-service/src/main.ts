import 'reflect-metadata';
import type { Type } from '@nestjs/common';
import { bootstrapService } from '@pm/platform/observability';

void bootstrapService({
  serviceName: 'planning-service',
  port: 3001,
  openApi: { title: 'Planning service', description: 'Projects, schedule and change control. Every change is a pm.planning.* event.' },
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
