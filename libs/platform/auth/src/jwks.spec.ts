import { Controller, Get, Module } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { configureHttpApp } from '@pm/platform/http';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import type { CryptoKey } from 'jose';
import { createServer } from 'node:http';
import type { AddressInfo, Server } from 'node:net';
import request from 'supertest';
import { CurrentPrincipal } from './auth.decorators';
import { AuthModule } from './auth.module';
import type { AuthOptions } from './auth.options';
import { signDevToken } from './dev-token.util';
import type { Principal } from './principal.model';

@Controller('whoami')
class WhoAmIController {
  @Get()
  whoami(@CurrentPrincipal() principal: Principal): Principal {
    return principal;
  }
}

async function appWith(options: AuthOptions): Promise<INestApplication> {
  @Module({ imports: [AuthModule.forRoot(options)], controllers: [WhoAmIController] })
  class JwksSpecModule {}
  const moduleRef = await Test.createTestingModule({ imports: [JwksSpecModule] }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  configureHttpApp(app);
  return app.init();
}

const listen = (server: Server) =>
  new Promise<string>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );

describe('AuthModule with a JWKS URL', () => {
  const issuer = 'https://idp.pm.example';
  const audience = 'pm-api';
  let signingKey: CryptoKey;
  let jwksServer: Server;
  let jwksFetches = 0;
  let app: INestApplication;

  const rs256 = (claims: Record<string, unknown>, key: CryptoKey = signingKey, kid = 'key-1') =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid })
      .setSubject('u-7')
      .setIssuer(issuer)
      .setAudience(audience)
      .setExpirationTime('5m')
      .sign(key);

  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    signingKey = privateKey;
    const jwk = { ...(await exportJWK(publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
    jwksServer = createServer((_req, res) => {
      jwksFetches += 1;
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    const jwksUrl = `${await listen(jwksServer)}/.well-known/jwks.json`;
    app = await appWith({ jwksUrl, issuer, audience });
  });

  afterAll(async () => {
    await app.close();
    await new Promise((resolve) => jwksServer.close(resolve));
  });

  it('accepts an RS256 token signed by a key from the set', async () => {
    const token = await rs256({ tenant: 'globex', roles: ['resource-manager'] });
    const res = await request(app.getHttpServer()).get('/whoami').set('Authorization', `Bearer ${token}`).expect(200);
    expect(res.body).toEqual({ sub: 'u-7', tenantId: 'globex', roles: ['resource-manager'], actor: 'user:u-7' });
    expect(jwksFetches).toBeGreaterThan(0);
  });

  it('rejects a token signed by a key outside the set', async () => {
    const { privateKey: stranger } = await generateKeyPair('RS256');
    const token = await rs256({ tenant: 'globex', roles: ['viewer'] }, stranger);
    const res = await request(app.getHttpServer()).get('/whoami').set('Authorization', `Bearer ${token}`).expect(401);
    expect(res.body.code).toBe('AUTH_TOKEN_INVALID');
  });

  it('rejects an HS256 token, even one signed with the development secret', async () => {
    const token = await signDevToken({ tenant: 'globex', roles: ['pmo-admin'], issuer, audience });
    const res = await request(app.getHttpServer()).get('/whoami').set('Authorization', `Bearer ${token}`).expect(401);
    expect(res.body.code).toBe('AUTH_TOKEN_INVALID');
  });

  it('rejects a token for another audience', async () => {
    const token = await new SignJWT({ tenant: 'globex', roles: ['viewer'] })
      .setProtectedHeader({ alg: 'RS256', kid: 'key-1' })
      .setSubject('u-7')
      .setIssuer(issuer)
      .setAudience('someone-else')
      .setExpirationTime('5m')
      .sign(signingKey);
    await request(app.getHttpServer()).get('/whoami').set('Authorization', `Bearer ${token}`).expect(401);
  });

  it('answers 503 AUTH_UNAVAILABLE, not 401, when the key set cannot be fetched', async () => {
    const closed = createServer();
    const deadUrl = `${await listen(closed)}/jwks.json`;
    await new Promise((resolve) => closed.close(resolve));
    const unreachable = await appWith({ jwksUrl: deadUrl });
    try {
      const token = await rs256({ tenant: 'globex', roles: ['viewer'] });
      const res = await request(unreachable.getHttpServer()).get('/whoami').set('Authorization', `Bearer ${token}`).expect(503);
      expect(res.body).toMatchObject({ code: 'AUTH_UNAVAILABLE', status: 503 });
    } finally {
      await unreachable.close();
    }
  });
});
