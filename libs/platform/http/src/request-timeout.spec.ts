import { Controller, Get, Module, Req } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { IncomingMessage, Server } from 'node:http';
import request from 'supertest';
import { configureHttpApp } from './http-app.config';
import { DEFAULT_KEEP_ALIVE_TIMEOUT_MS, extendRequestTimeout, keepAliveTimeoutFromEnv, requestTimeoutFromEnv, uploadTimeoutFromEnv } from './request-timeout';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let lateAnswers = 0;

@Controller()
class SlowController {
  @Get('slow')
  async slow(): Promise<{ ok: boolean }> {
    await sleep(400);
    lateAnswers++;
    return { ok: true };
  }

  @Get('upload-like')
  async uploadLike(@Req() req: IncomingMessage): Promise<{ ok: boolean }> {
    extendRequestTimeout(req, 2_000);
    await sleep(400);
    return { ok: true };
  }

  @Get('fast')
  fast(): { ok: boolean } {
    return { ok: true };
  }
}

@Module({ controllers: [SlowController] })
class SlowModule {}

describe('request timeout', () => {
  let app: INestApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [SlowModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    configureHttpApp(app, { requestTimeoutMs: 150 });
    await app.init();
  });

  afterAll(() => app.close());

  it('answers 503 REQUEST_TIMED_OUT problem+json when the handler takes too long, and drops its late answer quietly', async () => {
    const res = await request(app.getHttpServer()).get('/slow').expect(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.body).toMatchObject({ status: 503, code: 'REQUEST_TIMED_OUT', instance: '/slow' });
    await sleep(400);
    expect(lateAnswers).toBe(1);
    await request(app.getHttpServer()).get('/fast').expect(200, { ok: true });
  });

  it('gives a route that extends its deadline the longer time', async () => {
    await request(app.getHttpServer()).get('/upload-like').expect(200, { ok: true });
  });

  it('reads HTTP_REQUEST_TIMEOUT_MS and HTTP_UPLOAD_TIMEOUT_MS, with 30 s and 10 min by default, and refuses nonsense', () => {
    expect(requestTimeoutFromEnv({})).toBe(30_000);
    expect(uploadTimeoutFromEnv({})).toBe(600_000);
    expect(requestTimeoutFromEnv({ HTTP_REQUEST_TIMEOUT_MS: '5000' })).toBe(5_000);
    expect(() => requestTimeoutFromEnv({ HTTP_REQUEST_TIMEOUT_MS: '0' })).toThrow(/HTTP_REQUEST_TIMEOUT_MS/);
  });

  it('keeps idle kept-alive connections 65 s (HTTP_KEEP_ALIVE_TIMEOUT_MS), with the headers timeout above it, and refuses nonsense', () => {
    const server = app.getHttpServer() as Server;
    expect(server.keepAliveTimeout).toBe(DEFAULT_KEEP_ALIVE_TIMEOUT_MS);
    expect(DEFAULT_KEEP_ALIVE_TIMEOUT_MS).toBe(65_000);
    expect(server.headersTimeout).toBeGreaterThan(server.keepAliveTimeout);
    expect(keepAliveTimeoutFromEnv({ HTTP_KEEP_ALIVE_TIMEOUT_MS: '120000' })).toBe(120_000);
    expect(() => keepAliveTimeoutFromEnv({ HTTP_KEEP_ALIVE_TIMEOUT_MS: '-5' })).toThrow('HTTP_KEEP_ALIVE_TIMEOUT_MS must be a positive whole number');
  });
});
