import type { INestApplication, Type } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { bootstrapService } from '@pm/platform/observability';

export interface RunningService {
  readonly app: INestApplication;
  readonly url: string;
  close(): Promise<void>;
}

/** Boots a service the way its main.ts does (same bootstrap, same modules), on a free port. */
export async function startService(serviceName: string, module: unknown): Promise<RunningService> {
  const app = await bootstrapService({ serviceName, port: 0, host: '127.0.0.1', module: module as Type<unknown> });
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}`, close: () => app.close() };
}
