import { SignJWT } from 'jose';
import { resolveAuthConfig } from './auth.options';
import { TokenVerifier, claimAt } from './token-verifier';

const SECRET = 'spec-secret-that-is-long-enough-for-hs256!';
const sign = (claims: Record<string, unknown>) => new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('u-1').setExpirationTime('1h').sign(new TextEncoder().encode(SECRET));

describe('claims → tenant and roles (AUTH_TENANT_CLAIM, AUTH_ROLES_CLAIM; ADR 0603)', () => {
  it('takes a URI-style name whole, else walks a dotted path of own properties', () => {
    const payload = { 'https://pm.example/tenant': 'acme', realm_access: { roles: ['viewer'] } };
    expect(claimAt(payload, 'https://pm.example/tenant')).toBe('acme');
    expect(claimAt(payload, 'realm_access.roles')).toEqual(['viewer']);
    expect(claimAt(payload, 'realm_access.missing')).toBeUndefined();
    expect(claimAt({}, 'toString')).toBeUndefined();
    expect(claimAt({ a: 'text' }, 'a.length')).toBeUndefined();
  });

  it('maps an identity provider\'s names to the principal, and refuses a token without them', async () => {
    const verifier = new TokenVerifier(resolveAuthConfig({ jwtSecret: SECRET }, { AUTH_TENANT_CLAIM: 'https://pm.example/tenant', AUTH_ROLES_CLAIM: 'realm_access.roles' }));
    await expect(verifier.verify(await sign({ 'https://pm.example/tenant': 'acme', realm_access: { roles: ['viewer'] } }))).resolves.toMatchObject({ tenantId: 'acme', roles: ['viewer'] });
    // The default names no longer count once others are configured.
    await expect(verifier.verify(await sign({ tenant: 'acme', roles: ['viewer'] }))).rejects.toThrow(/claims: tenant, roles/);
  });

  it('refuses claim paths through the prototype at startup', () => {
    for (const path of ['__proto__', 'a.constructor', 'prototype.roles', 'a..b', 'a b']) {
      expect(() => resolveAuthConfig({ jwtSecret: SECRET }, { AUTH_ROLES_CLAIM: path })).toThrow();
    }
  });
});
