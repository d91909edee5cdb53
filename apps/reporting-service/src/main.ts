import 'reflect-metadata';
import type { Type } from '@nestjs/common';
import { bootstrapService } from '@pm/platform/observability';

void bootstrapService({
  serviceName: 'reporting-service',
  port: 3005,
  openApi: { title: 'Reporting service', description: 'Portfolio read models projected from every context topic.' },
  loadModule: async () => {
    const { AppModule } = await import('./app.module');
    const { configFromEnv } = await import('./config');
    return AppModule.register(configFromEnv()) as unknown as Type<unknown>;
  },
}).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
