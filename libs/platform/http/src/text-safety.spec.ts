import { Body, Controller, Get, Module, Param, Post, Query } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { configureHttpApp } from './http-app.config';
import { findUnstorableText } from './text-safety';

@Controller('items')
class ItemsController {
  @Get(':id')
  get(@Param('id') id: string, @Query() query: Record<string, unknown>): unknown {
    return { id, query };
  }

  @Post()
  create(@Body() body: unknown): unknown {
    return body;
  }
}

@Module({ controllers: [ItemsController] })
class TextSafetySpecModule {}

describe('text safety at the edge', () => {
  let app: INestApplication;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [TextSafetySpecModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    configureHttpApp(app);
    await app.init();
  });

  afterAll(() => app.close());

  const expectInvalidText = (res: request.Response, where: string, pointer: string) => {
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, code: 'INVALID_TEXT', details: { in: where }, errors: [{ path: pointer }] });
    expect(res.body.type).toBe('https://pm.example/problems/invalid-text');
  };

  describe('in the path', () => {
    it.each([
      ['a NUL', '/items/a%00b', '/path/1'],
      ['a lone surrogate (CESU-8 bytes, not UTF-8)', '/items/%ED%A0%80', '/path/1'],
      ['a broken percent-escape', '/items/%E0%A4%A', '/path/1'],
      ['a NUL in an unknown route', '/nowhere/%00', '/path/1'],
    ])('refuses %s with 400 INVALID_TEXT', async (_case, url, pointer) => {
      expectInvalidText(await http().get(url), 'path', pointer);
    });

    it('passes ordinary percent-encoded text, surrogate pairs included', async () => {
      const res = await http().get(`/items/${encodeURIComponent('Zürich 🚀')}`).expect(200);
      expect(res.body.id).toBe('Zürich 🚀');
    });
  });

  describe('in the query string', () => {
    it.each([
      ['a NUL in a value', '/items/x?q=%00', '/query/q'],
      ['a NUL in a repeated value', '/items/x?q=a&q=b%00', '/query/q/1'],
      ['a NUL in a name', '/items/x?a%00b=1', '/query/a\u0000b'],
    ])('refuses %s with 400 INVALID_TEXT, never a 500', async (_case, url, pointer) => {
      expectInvalidText(await http().get(url), 'query', pointer);
    });

    it('passes an ordinary query', async () => {
      expect((await http().get('/items/x?q=caf%C3%A9').expect(200)).body.query).toEqual({ q: 'café' });
    });
  });

  describe('in a JSON body', () => {
    const postJson = (raw: string) => http().post('/items').set('Content-Type', 'application/json').send(raw);

    it.each([
      ['a NUL in a nested value', '{"tasks":[{"name":"ok"},{"name":"a\\u0000b"}]}', '/body/tasks/1/name'],
      ['a lone high surrogate', '{"name":"\\ud800"}', '/body/name'],
      ['a lone low surrogate', '{"name":"x\\udc00"}', '/body/name'],
      ['a NUL in a key', '{"a\\u0000":1}', '/body/a\u0000'],
      ['a NUL in a top-level array', '["\\u0000"]', '/body/0'],
    ])('refuses %s with 400 INVALID_TEXT', async (_case, raw, pointer) => {
      expectInvalidText(await postJson(raw), 'body', pointer);
    });

    it('refuses the same in a form body', async () => {
      const res = await http().post('/items').type('form').send('name=a%00b');
      expectInvalidText(res, 'body', '/body/name');
    });

    it('passes surrogate pairs and other control characters', async () => {
      const body = { name: '\ud83d\ude80 launch', note: 'line\ttab\r\n' };
      expect((await http().post('/items').send(body).expect(201)).body).toEqual(body);
    });

    it('still answers malformed JSON with 400 MALFORMED_JSON', async () => {
      expect((await postJson('{"name":').expect(400)).body.code).toBe('MALFORMED_JSON');
    });
  });
});

describe('findUnstorableText', () => {
  it('walks 20,000 levels of nesting without overflowing the stack', () => {
    let deep: unknown = 'bad\u0000';
    for (let i = 0; i < 20_000; i++) deep = [deep];
    expect(findUnstorableText(deep)).toBe('/0'.repeat(20_000));
  });

  it('escapes ~ and / in keys as JSON Pointer does', () => {
    expect(findUnstorableText({ 'a/b~c': '\udfff' })).toBe('/a~1b~0c');
  });
});
