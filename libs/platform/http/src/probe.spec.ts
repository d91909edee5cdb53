import { Controller, Get, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
@Controller() class C { @Get('x') x() { return { ok: 1 }; } }
@Module({ controllers: [C] }) class M {}
it('works', async () => {
  const ref = await Test.createTestingModule({ imports: [M] }).compile();
  const app = ref.createNestApplication(); await app.init();
  const r = await request(app.getHttpServer()).get('/x');
  expect(r.body).toEqual({ ok: 1 });
  await app.close();
});
