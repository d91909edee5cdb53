import { ConflictException, Controller, Get, HttpCode, Logger, Module, Post, Query } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import request from 'supertest';
import { z } from 'zod';
import { configureHttpApp } from './http-app.config';
import { problemTypeUri } from './problem-details.types';
import type { DomainErrorKind } from './domain-error.mapping';
import { ZodBody, ZodParam, ZodQuery } from './zod-validation.pipe';

const CreateTask = z.object({
  name: z.string().min(1),
  effortHours: z.number().int().positive(),
  tags: z.array(z.string().max(5)).default([]),
});
type CreateTask = z.output<typeof CreateTask>;
const ListQuery = z.object({ limit: z.coerce.number().int().max(100).default(20) });

/** Shaped like the planning domain's DomainError, without importing it (http may not). */
class FakeDomainError extends Error {
  constructor(
    readonly code: string,
    readonly kind: DomainErrorKind,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

@Controller('tasks')
class TasksController {
  @Post()
  @HttpCode(201)
  create(@ZodBody(CreateTask) body: CreateTask): CreateTask {
    return body;
  }

  @Get()
  list(@ZodQuery(ListQuery) query: z.output<typeof ListQuery>): { limit: number } {
    return query;
  }

  @Get(':taskId')
  get(@ZodParam('taskId', z.uuid()) taskId: string): { taskId: string } {
    return { taskId };
  }
}

@Controller('failures')
class FailuresController {
  @Get('domain')
  domain(@Query('kind') kind: DomainErrorKind): never {
    throw new FakeDomainError('TASK_DATES_INVALID', kind, 'The finish date is before the start date', {
      taskId: 't-1',
    });
  }

  @Get('conflict')
  conflict(): never {
    throw new ConflictException('Task t-1 already exists');
  }

  @Get('crash')
  crash(): never {
    throw new Error('connection to postgres://admin:hunter2@db failed');
  }

  @Get('zod')
  zod(): unknown {
    return z.object({ status: z.enum(['open', 'closed']) }).parse({ status: 'lost' });
  }
}

@Module({ controllers: [TasksController, FailuresController] })
class TestHttpModule {}

describe('ProblemDetailsFilter', () => {
  let app: INestApplication;
  const contextManager = new AsyncLocalStorageContextManager();
  const tracer = new TracerProvider().getTracer('spec');
  const w3c = new W3CTraceContextPropagator();

  beforeAll(async () => {
    context.setGlobalContextManager(contextManager.enable());
    propagation.setGlobalPropagator(w3c);
    const moduleRef = await Test.createTestingModule({ imports: [TestHttpModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    // Stands in for the HTTP instrumentation: a server span per request, child of the caller's.
    app.use((req: { headers: Record<string, string> }, _res: unknown, next: () => void) => {
      const parent = propagation.extract(context.active(), req.headers);
      const span = tracer.startSpan('request', {}, parent);
      context.with(trace.setSpan(parent, span), next);
    });
    configureHttpApp(app, { bodyLimit: 256 });
    await app.init();
  });

  afterAll(async () => {
    await app.close();
    contextManager.disable();
  });

  const http = () => request(app.getHttpServer());

  it('passes a valid body to the handler parsed (defaults applied, unknown keys stripped)', async () => {
    const res = await http().post('/tasks').send({ name: 'Design', effortHours: 8, extra: true }).expect(201);
    expect(res.body).toEqual({ name: 'Design', effortHours: 8, tags: [] });
  });

  it('answers a body failing its schema with 400 VALIDATION_FAILED listing every issue', async () => {
    const res = await http()
      .post('/tasks?secret=1')
      .send({ name: '', effortHours: 1.5, tags: ['ok', 'too-long'] })
      .expect(400)
      .expect('Content-Type', /^application\/problem\+json/);
    expect(res.body).toMatchObject({
      type: 'https://pm.example/problems/validation-failed',
      title: 'Request validation failed',
      status: 400,
      code: 'VALIDATION_FAILED',
      instance: '/tasks',
    });
    expect(res.body.errors).toEqual([
      { path: '/name', message: expect.any(String) },
      { path: '/effortHours', message: expect.any(String) },
      { path: '/tags/1', message: expect.any(String) },
    ]);
  });

  it('validates query strings and path parameters the same way', async () => {
    expect((await http().get('/tasks?limit=5').expect(200)).body).toEqual({ limit: 5 });
    const query = await http().get('/tasks?limit=500').expect(400);
    expect(query.body.errors).toEqual([{ path: '/limit', message: expect.any(String) }]);
    const param = await http().get('/tasks/not-a-uuid').expect(400);
    expect(param.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: '/taskId' }] });
  });

  it('maps a ZodError thrown by a handler to 400 VALIDATION_FAILED', async () => {
    const res = await http().get('/failures/zod').expect(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: '/status' }] });
  });

  it('answers a malformed JSON body with 400 MALFORMED_JSON', async () => {
    const res = await http().post('/tasks').set('Content-Type', 'application/json').send('{"name": ').expect(400);
    expect(res.body).toMatchObject({ code: 'MALFORMED_JSON', type: problemTypeUri('MALFORMED_JSON'), status: 400 });
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('answers a body over the limit with 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await http()
      .post('/tasks')
      .send({ name: 'x'.repeat(1000), effortHours: 1 })
      .expect(413);
    expect(res.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', status: 413, instance: '/tasks' });
  });

  it('answers an unknown route with 404 NOT_FOUND', async () => {
    const res = await http().get('/nowhere?x=1').expect(404);
    expect(res.body).toMatchObject({
      type: 'https://pm.example/problems/not-found',
      code: 'NOT_FOUND',
      status: 404,
      instance: '/nowhere',
    });
  });

  it('keeps the status and message of a Nest HttpException', async () => {
    const res = await http().get('/failures/conflict').expect(409);
    expect(res.body).toMatchObject({ code: 'CONFLICT', title: 'Conflict', detail: 'Task t-1 already exists' });
  });

  it.each([
    ['conflict', 409],
    ['invalid', 422],
    ['not-found', 404],
    ['forbidden', 403],
  ] as const)('maps a domain error of kind %s to %i with its code, message and details', async (kind, status) => {
    const res = await http().get(`/failures/domain?kind=${kind}`).expect(status);
    expect(res.body).toEqual({
      type: 'https://pm.example/problems/task-dates-invalid',
      title: 'Task dates invalid',
      status,
      detail: 'The finish date is before the start date',
      instance: '/failures/domain',
      code: 'TASK_DATES_INVALID',
      details: { taskId: 't-1' },
      traceId: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
  });

  it('hides anything else behind 500 INTERNAL_ERROR without leaking the message, and logs it', async () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      const res = await http().get('/failures/crash').expect(500);
      expect(res.body).toMatchObject({ code: 'INTERNAL_ERROR', status: 500, title: 'Internal server error' });
      expect(JSON.stringify(res.body)).not.toMatch(/hunter2|postgres|at /);
      expect(logged).toHaveBeenCalledWith(
        expect.objectContaining({ err: expect.objectContaining({ message: expect.stringContaining('hunter2') }) }),
        'Request failed',
      );
    } finally {
      logged.mockRestore();
    }
  });

  it('does not log client errors as errors', async () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      await http().get('/failures/domain?kind=conflict').expect(409);
      expect(logged).not.toHaveBeenCalled();
    } finally {
      logged.mockRestore();
    }
  });

  it('carries the trace id of the request', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const res = await http()
      .get('/failures/crash')
      .set('traceparent', `00-${traceId}-00f067aa0ba902b7-01`)
      .expect(500);
    expect(res.body.traceId).toBe(traceId);
  });
});
