import { Controller, Get, Module, Post } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { z } from 'zod';
import { setupOpenApi } from './openapi.setup';
import { zodToOpenApi } from './zod-openapi.util';
import { ZodBody, ZodQuery } from './zod-validation.pipe';

const RaiseRisk = z.object({
  title: z.string().min(3),
  probability: z.number().min(0).max(1),
  impact: z.enum(['low', 'medium', 'high']),
});
const RiskView = z.object({ id: z.uuid(), title: z.string(), score: z.number() });

@Controller('risks')
class RisksController {
  @Post()
  raise(@ZodBody(RaiseRisk) body: z.output<typeof RaiseRisk>): unknown {
    return body;
  }

  @Get()
  @ApiOkResponse({ schema: { type: 'array', items: zodToOpenApi(RiskView) } })
  list(@ZodQuery(z.object({ status: z.enum(['open', 'closed']).optional() })) query: unknown): unknown {
    return query;
  }
}

@Module({ controllers: [RisksController] })
class RisksModule {}

describe('setupOpenApi', () => {
  let app: INestApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [RisksModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    setupOpenApi(app, { title: 'risk-service', description: 'Risk register', version: '1.2.3', servers: [{ url: 'http://localhost:3009', description: 'Local' }] });
    await app.init();
  });

  afterAll(() => app.close());

  it('serves the document at /docs-json with the zod request body, bearer auth and problem responses', async () => {
    const { body: doc } = await request(app.getHttpServer()).get('/docs-json').expect(200);
    expect(doc.info).toMatchObject({ title: 'risk-service', description: 'Risk register', version: '1.2.3' });
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    expect(doc.security).toEqual([{ bearer: [] }]);

    const raise = doc.paths['/risks'].post;
    expect(raise.requestBody.content['application/json'].schema).toMatchObject({
      type: 'object',
      required: ['title', 'probability', 'impact'],
      properties: {
        title: { type: 'string', minLength: 3 },
        probability: { type: 'number', minimum: 0, maximum: 1 },
        impact: { type: 'string', enum: ['low', 'medium', 'high'] },
      },
    });
    // A body-taking change behind a token: invalid, unauthenticated, forbidden, conflicting, too large, wrong type,
    // refused by a rule, rate limited, timed out; each a shared problem+json response.
    expect(Object.keys(raise.responses).sort()).toEqual(['201', '400', '401', '403', '409', '413', '415', '422', '429', '503']);
    expect(raise.responses['413']).toEqual({ $ref: '#/components/responses/PayloadTooLarge' });
    expect(doc.components.responses.PayloadTooLarge.content['application/problem+json'].schema).toEqual({
      $ref: '#/components/schemas/ProblemDetails',
    });
    expect(doc.servers).toEqual([{ url: 'http://localhost:3009', description: 'Local' }]);
    // Every command takes an Idempotency-Key (ADR 0013); a read does not.
    expect(raise.parameters).toEqual([{ $ref: '#/components/parameters/IdempotencyKey' }]);
    expect(doc.components.parameters.IdempotencyKey).toMatchObject({ name: 'Idempotency-Key', in: 'header', required: false, schema: { maxLength: 255 } });
    expect(doc.components.responses.Conflict.description).toContain('IDEMPOTENCY_KEY_IN_FLIGHT');
    expect(doc.components.responses.UnprocessableContent.description).toContain('IDEMPOTENCY_KEY_REUSED');

    const list = doc.paths['/risks'].get;
    expect(Object.keys(list.responses).sort()).toEqual(['200', '400', '401', '403', '429', '503']);
    expect(list.parameters).toEqual([
      expect.objectContaining({ name: 'status', in: 'query', required: false, schema: expect.objectContaining({ enum: ['open', 'closed'] }) }),
    ]);
    expect(list.responses['200'].content['application/json'].schema.items).toMatchObject({
      type: 'object',
      properties: { id: { type: 'string', format: 'uuid' } },
    });
  });

  it('serves Swagger UI at /docs', async () => {
    const res = await request(app.getHttpServer()).get('/docs').redirects(1).expect(200);
    expect(res.text).toContain('swagger-ui');
  });
});
