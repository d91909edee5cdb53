import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { buildOpenApiDocument } from '@pm/platform/http';
import type { OpenApiOptions } from '@pm/platform/http';

/** Every service with an HTTP API: its module (built as its main.ts builds it) and what its document says of it. */
export const OPENAPI_SERVICES: ReadonlyArray<{ name: string; port: number; info: Omit<OpenApiOptions, 'servers'>; load(): Promise<unknown> }> = [
  {
    name: 'planning-service',
    port: 3001,
    info: { title: 'Planning service', description: 'Projects, schedule and change control. Every change is a pm.planning.* event.' },
    load: async () => (await import('../apps/planning-service/src/app.module')).AppModule.register((await import('../apps/planning-service/src/config')).configFromEnv()),
  },
  {
    name: 'resource-service',
    port: 3002,
    info: {
      title: 'Resource service',
      description: 'Resource pool, capacity, assignments, over-allocation, timesheets and budgets. Every change is a pm.resource.* event.',
    },
    load: async () => (await import('../apps/resource-service/src/app.module')).AppModule.register((await import('../apps/resource-service/src/config')).configFromEnv()),
  },
  {
    name: 'risk-service',
    port: 3003,
    info: {
      title: 'Risk service',
      description: 'Risk register, responses and mitigation actions, overdue reviews and actions, the issue log and tenant risk settings. Every change is a pm.risk.* event.',
    },
    load: async () => (await import('../apps/risk-service/src/app.module')).AppModule.register((await import('../apps/risk-service/src/config')).configFromEnv()),
  },
  {
    name: 'notification-service',
    port: 3004,
    info: {
      title: 'Notification service',
      description:
        'My in-app inbox (read, archive, unread count, live stream), my channel preferences, quiet hours and digest cadence, and my subscriptions. Fed by every other context’s events; every change is a pm.notification.* event.',
    },
    load: async () =>
      (await import('../apps/notification-service/src/app.module')).AppModule.register((await import('../apps/notification-service/src/config')).configFromEnv()),
  },
  {
    name: 'reporting-service',
    port: 3005,
    info: { title: 'Reporting service', description: 'Portfolio read models projected from every context topic.' },
    load: async () => (await import('../apps/reporting-service/src/app.module')).AppModule.register((await import('../apps/reporting-service/src/config')).configFromEnv()),
  },
];

/**
 * One service's document as docs/openapi/<service>.json holds it. The app is created in preview mode: its routes and
 * their decorators are read, no provider runs (no database, no broker), so CI and a laptop render the same file.
 */
export async function renderOpenApiDocument(service: (typeof OPENAPI_SERVICES)[number]): Promise<string> {
  const app = (await NestFactory.create((await service.load()) as never, { preview: true, logger: false, abortOnError: false })) as INestApplication;
  try {
    const document: OpenAPIObject = buildOpenApiDocument(app, {
      ...service.info,
      version: '0.1.0',
      servers: [{ url: `http://localhost:${service.port}`, description: 'Local development (npm start)' }],
    });
    return `${JSON.stringify(document, null, 2)}\n`;
  } finally {
    await app.close();
  }
}
