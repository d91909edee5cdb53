import { Controller, Get, Module, Post } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { configureHttpApp } from '@pm/platform/http';
import { SignJWT } from 'jose';
import request from 'supertest';
import { CurrentPrincipal, Public, Roles } from './auth.decorators';
import { AuthModule } from './auth.module';
import { DEV_JWT_SECRET, resolveAuthConfig } from './auth.options';
import { signDevToken } from './dev-token.util';
import type { Principal } from './principal.model';
import { AccessTokenRejected, TokenVerifier } from './token-verifier';

const SECRET = 'spec-secret-that-is-long-enough-for-hs256!';

@Controller('projects')
class ProjectsController {
  @Get()
  list(@CurrentPrincipal() principal: Principal): Principal {
    return principal;
  }

  @Post()
  @Roles('project-manager', 'pmo-admin')
  create(): { created: true } {
    return { created: true };
  }
}

@Controller('admin')
@Roles('pmo-admin')
class AdminController {
  @Get('settings')
  settings(): { ok: true } {
    return { ok: true };
  }

  @Get('announcements')
  @Roles('viewer')
  announcements(): { ok: true } {
    return { ok: true };
  }
}

@Controller('ping')
@Public()
class PingController {
  @Get()
  ping(): { pong: true } {
    return { pong: true };
  }

  @Get('me')
  me(@CurrentPrincipal() principal: Principal): Principal {
    return principal;
  }
}

@Module({
  imports: [AuthModule.forRoot({ jwtSecret: SECRET })],
  controllers: [ProjectsController, AdminController, PingController],
})
class AuthSpecModule {}

const key = new TextEncoder().encode(SECRET);
const inAMinute = () => Math.floor(Date.now() / 1000) + 60;

describe('AuthModule with a shared secret', () => {
  let app: INestApplication;
  const http = () => request(app.getHttpServer());
  const token = (roles: Parameters<typeof signDevToken>[0]['roles'], sub = 'u-42') =>
    signDevToken({ tenant: 'acme', roles, sub, secret: SECRET });

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [AuthSpecModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    configureHttpApp(app);
    await app.init();
  });

  afterAll(() => app.close());

  it('accepts a valid token and hands the handler the principal', async () => {
    const res = await http()
      .get('/projects')
      .set('Authorization', `Bearer ${await token(['team-member', 'viewer'])}`)
      .expect(200);
    expect(res.body).toEqual({ sub: 'u-42', tenantId: 'acme', roles: ['team-member', 'viewer'], actor: 'user:u-42' });
  });

  it.each([
    ['no Authorization header', undefined],
    ['another scheme', 'Basic dXNlcjpwYXNz'],
    ['an empty bearer', 'Bearer '],
  ])('answers %s with 401 AUTH_TOKEN_MISSING and a Bearer challenge', async (_case, header) => {
    const call = http().get('/projects');
    if (header !== undefined) call.set('Authorization', header);
    const res = await call.expect(401).expect('Content-Type', /^application\/problem\+json/);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="pm"');
    expect(res.body).toMatchObject({
      status: 401,
      code: 'AUTH_TOKEN_MISSING',
      type: 'https://pm.example/problems/auth-token-missing',
      instance: '/projects',
    });
  });

  const invalidTokens: Array<[string, () => Promise<string>, RegExp]> = [
    ['a wrong signature', () => signDevToken({ tenant: 'acme', roles: ['viewer'], secret: `${SECRET}-other` }), /invalid/],
    [
      'an expired token',
      () => signDevToken({ tenant: 'acme', roles: ['viewer'], secret: SECRET, expiresIn: inAMinute() - 120 }),
      /expired/,
    ],
    [
      'a missing tenant',
      () => new SignJWT({ roles: ['viewer'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('u-1').setExpirationTime('1h').sign(key),
      /claims: tenant/,
    ],
    [
      'an unknown role',
      () =>
        new SignJWT({ tenant: 'acme', roles: ['viewer', 'superuser'] })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('u-1')
          .setExpirationTime('1h')
          .sign(key),
      /claims: roles/,
    ],
    [
      'no expiry',
      () => new SignJWT({ tenant: 'acme', roles: ['viewer'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('u-1').sign(key),
      /"exp"/,
    ],
    ['garbage', async () => 'not.a.jwt', /invalid/],
    [
      'a tenant holding a NUL',
      () => new SignJWT({ tenant: 'acme\u0000', roles: ['viewer'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('u-1').setExpirationTime('1h').sign(key),
      /claims: tenant/,
    ],
    [
      'a subject holding a lone surrogate',
      () => new SignJWT({ tenant: 'acme', roles: ['viewer'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('u-\ud800').setExpirationTime('1h').sign(key),
      /claims: sub/,
    ],
    [
      'a tenant longer than any identity provider issues',
      () => new SignJWT({ tenant: 't'.repeat(257), roles: ['viewer'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('u-1').setExpirationTime('1h').sign(key),
      /claims: tenant/,
    ],
  ];

  it.each(invalidTokens)('answers %s with 401 AUTH_TOKEN_INVALID', async (_case, makeToken, detail) => {
    const res = await http()
      .get('/projects')
      .set('Authorization', `Bearer ${await makeToken()}`)
      .expect(401);
    expect(res.body).toMatchObject({ status: 401, code: 'AUTH_TOKEN_INVALID', detail: expect.stringMatching(detail) });
    expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="pm", error="invalid_token"/);
  });

  it('answers a caller without any of the required roles with 403 AUTH_FORBIDDEN', async () => {
    const res = await http()
      .post('/projects')
      .set('Authorization', `Bearer ${await token(['viewer', 'team-member'])}`)
      .expect(403);
    expect(res.body).toMatchObject({ status: 403, code: 'AUTH_FORBIDDEN', instance: '/projects' });
    expect(res.body.detail).toContain('project-manager');
    expect(res.headers['www-authenticate']).toMatch(/^Bearer .*error="insufficient_scope"/);
  });

  it('answers a token without any role with 403 AUTH_FORBIDDEN, even where no role is named, but keeps public routes open', async () => {
    const noRoles = await new SignJWT({ tenant: 'acme', roles: [] }).setProtectedHeader({ alg: 'HS256' }).setSubject('u-1').setExpirationTime('1h').sign(key);
    for (const path of ['/projects', '/admin/settings']) {
      const res = await http().get(path).set('Authorization', `Bearer ${noRoles}`).expect(403);
      expect(res.body).toMatchObject({ status: 403, code: 'AUTH_FORBIDDEN', detail: expect.stringMatching(/no role/) });
    }
    await http().get('/ping').set('Authorization', `Bearer ${noRoles}`).expect(200);
  });

  it('lets in a caller holding one of the required roles', async () => {
    await http()
      .post('/projects')
      .set('Authorization', `Bearer ${await token(['project-manager'])}`)
      .expect(201, { created: true });
  });

  it('applies controller roles to every handler, unless the handler names its own', async () => {
    const viewer = `Bearer ${await token(['viewer'])}`;
    await http().get('/admin/settings').set('Authorization', viewer).expect(403);
    await http().get('/admin/settings').set('Authorization', `Bearer ${await token(['pmo-admin'])}`).expect(200);
    await http().get('/admin/announcements').set('Authorization', viewer).expect(200);
  });

  it('leaves public routes open, whatever the Authorization header says', async () => {
    await http().get('/ping').expect(200, { pong: true });
    await http().get('/ping').set('Authorization', 'Bearer not.a.jwt').expect(200);
  });

  it('refuses to hand out a principal on a public route', async () => {
    const res = await http().get('/ping/me').expect(401);
    expect(res.body.code).toBe('AUTH_TOKEN_MISSING');
  });
});

describe('TokenVerifier', () => {
  it('checks issuer and audience when configured', async () => {
    const verifier = new TokenVerifier(resolveAuthConfig({ jwtSecret: SECRET, issuer: 'https://idp.pm', audience: 'pm-api' }, {}));
    const good = await signDevToken({ tenant: 't', roles: ['viewer'], secret: SECRET, issuer: 'https://idp.pm', audience: 'pm-api' });
    const wrongAudience = await signDevToken({ tenant: 't', roles: ['viewer'], secret: SECRET, issuer: 'https://idp.pm', audience: 'other' });
    await expect(verifier.verify(good)).resolves.toMatchObject({ tenantId: 't' });
    await expect(verifier.verify(wrongAudience)).rejects.toMatchObject({ reason: 'invalid', message: expect.stringContaining('aud') });
    await expect(verifier.verify(wrongAudience)).rejects.toBeInstanceOf(AccessTokenRejected);
  });
});

describe('TokenVerifier: verified tokens remembered', () => {
  const config = () => resolveAuthConfig({ jwtSecret: SECRET }, {});

  it('answers a token it verified again without a second check, never past the token\'s expiry', async () => {
    let now = Date.now();
    const verifier = new TokenVerifier(config(), () => now);
    const exp = Math.floor(now / 1000) + 30;
    const token = await signDevToken({ tenant: 't', roles: ['viewer'], secret: SECRET, expiresIn: exp });
    const first = await verifier.verify(token);
    expect(await verifier.verify(token)).toBe(first);
    // Remembered principals are shared between requests: nobody can change one for the next request.
    expect(Object.isFrozen(first) && Object.isFrozen(first.roles)).toBe(true);
    now = exp * 1000 + 10 * 60_000; // past the expiry and any clock tolerance
    await expect(verifier.verify(token)).rejects.toMatchObject({ reason: 'expired' });
  });

  it('checks a remembered token again after a minute (a key withdrawn from the JWKS stops counting)', async () => {
    let now = Date.now();
    const verifier = new TokenVerifier(config(), () => now);
    const other = new TokenVerifier(resolveAuthConfig({ jwtSecret: 'another-secret-of-at-least-32-bytes!!' }, {}), () => now);
    const token = await signDevToken({ tenant: 't', roles: ['viewer'], secret: SECRET, expiresIn: '2h' });
    await verifier.verify(token);
    now += 61_000;
    await expect(verifier.verify(token)).resolves.toMatchObject({ tenantId: 't' });
    // A verifier whose key never signed the token refuses it, every time (failures are not remembered).
    await expect(other.verify(token)).rejects.toMatchObject({ reason: 'invalid' });
    await expect(other.verify(token)).rejects.toMatchObject({ reason: 'invalid' });
  });
});

describe('resolveAuthConfig', () => {
  it('falls back to the development secret outside production only', () => {
    expect(resolveAuthConfig({}, {}).key).toEqual({ kind: 'shared-secret', secret: DEV_JWT_SECRET });
    expect(() => resolveAuthConfig({}, { NODE_ENV: 'production' })).toThrow(/AUTH_JWKS_URL/);
  });

  it('prefers a JWKS URL and accepts it in production', () => {
    const config = resolveAuthConfig({}, { NODE_ENV: 'production', AUTH_JWKS_URL: 'https://idp.pm/jwks', AUTH_JWT_SECRET: SECRET });
    expect(config.key).toEqual({ kind: 'jwks', url: new URL('https://idp.pm/jwks') });
  });

  it('refuses a secret too short for HS256', () => {
    expect(() => resolveAuthConfig({}, { AUTH_JWT_SECRET: 'short' })).toThrow(/32 bytes/);
  });
});
