import { gatewayConfigFromEnv } from './gateway.config';

describe('gateway OIDC configuration (ADR 0603)', () => {
  const oidc = { OIDC_ISSUER: 'https://login.example.com/realms/pm', OIDC_CLIENT_ID: 'pm-web', OIDC_REDIRECT_URI: 'https://pm.example.com/auth/callback' };

  it('is off without OIDC_ISSUER, and blank variables count as unset (compose passes ${VAR:-})', () => {
    expect(gatewayConfigFromEnv({}).oidc).toBeUndefined();
    expect(gatewayConfigFromEnv({ OIDC_ISSUER: '', OIDC_RESOURCE: ' ' }).oidc).toBeUndefined();
  });

  it('reads the client, scopes, resource and the services\' own access-token settings', () => {
    const config = gatewayConfigFromEnv({ ...oidc, OIDC_RESOURCE: 'https://api.pm.example.com', AUTH_AUDIENCE: 'https://api.pm.example.com', AUTH_ROLES_CLAIM: 'realm_access.roles', AUTH_JWKS_URL: 'https://login.example.com/jwks' }).oidc;
    expect(config).toMatchObject({ clientId: 'pm-web', scopes: 'openid email profile', resource: 'https://api.pm.example.com', providerName: 'your organisation' });
    expect(config?.accessToken).toMatchObject({ audience: 'https://api.pm.example.com', tenantClaim: 'tenant', rolesClaim: 'realm_access.roles', key: { kind: 'jwks' } });
  });

  it('reads how long a refreshed session lasts and when the access token is refreshed (ADR 0604)', () => {
    expect(gatewayConfigFromEnv(oidc).oidc).toMatchObject({ sessionMaxSeconds: 8 * 3600, refreshMarginSeconds: 60 });
    expect(gatewayConfigFromEnv({ ...oidc, OIDC_SESSION_MAX_SECONDS: '3600', OIDC_REFRESH_MARGIN_SECONDS: '120' }).oidc).toMatchObject({ sessionMaxSeconds: 3600, refreshMarginSeconds: 120 });
  });

  it.each([
    ['a session longer than a week', { ...oidc, OIDC_SESSION_MAX_SECONDS: String(8 * 24 * 3600) }, /OIDC_SESSION_MAX_SECONDS/],
    ['a refresh margin of nothing', { ...oidc, OIDC_REFRESH_MARGIN_SECONDS: '0' }, /OIDC_REFRESH_MARGIN_SECONDS/],
    ['no client id', { ...oidc, OIDC_CLIENT_ID: '' }, /OIDC_CLIENT_ID/],
    ['scopes without openid', { ...oidc, OIDC_SCOPES: 'email profile' }, /openid/],
    ['a redirect URI that is no URL', { ...oidc, OIDC_REDIRECT_URI: '/auth/callback' }, /OIDC_REDIRECT_URI/],
    ['a roles claim through the prototype', { ...oidc, AUTH_ROLES_CLAIM: '__proto__.roles' }, /claim path/],
  ])('refuses to start with %s', (_case, env, message) => {
    expect(() => gatewayConfigFromEnv(env)).toThrow(message);
  });
});
