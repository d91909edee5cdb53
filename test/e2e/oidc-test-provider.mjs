// A local OpenID Provider for the browser tests (oidc-provider, run as its own process: it is ESM-only and Jest's
// runtime is CommonJS). Offline: an RSA key made at start, the accounts given in OIDC_TEST_ACCOUNTS, the package's
// built-in login and consent pages. Prints one JSON line {"issuer": ...} on stdout once it listens.
//
// Env: OIDC_TEST_CLIENTS  JSON array of {client_id, client_secret, redirect_uris}
//      OIDC_TEST_ACCOUNTS JSON object login -> {tenant, roles, email}
//      OIDC_TEST_RESOURCES JSON array of resource indicators (API audiences) access tokens may be issued for
//      OIDC_TEST_TENANT_CLAIM / OIDC_TEST_ROLES_CLAIM  the claim names carrying tenant and roles (default tenant, roles)
import { generateKeyPairSync } from 'node:crypto';
import Provider from 'oidc-provider';

const clients = JSON.parse(process.env.OIDC_TEST_CLIENTS ?? '[]');
const accounts = JSON.parse(process.env.OIDC_TEST_ACCOUNTS ?? '{}');
const resources = JSON.parse(process.env.OIDC_TEST_RESOURCES ?? '[]');
const tenantClaim = process.env.OIDC_TEST_TENANT_CLAIM ?? 'tenant';
const rolesClaim = process.env.OIDC_TEST_ROLES_CLAIM ?? 'roles';
const port = Number(process.env.OIDC_TEST_PORT ?? 0);

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', use: 'sig', alg: 'RS256' };

const platformClaims = (login) => {
  const account = accounts[login];
  return account ? { [tenantClaim]: account.tenant, [rolesClaim]: account.roles, ...(account.email ? { email: account.email } : {}) } : {};
};

const server = (await import('node:http')).createServer();
await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: clients.map((c) => ({ grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic', ...c })),
  jwks: { keys: [jwk] },
  pkce: { required: () => true },
  cookies: { keys: ['oidc-test-provider-cookie-key'] },
  claims: { openid: ['sub'], email: ['email'], profile: ['name'] },
  async findAccount(_ctx, sub) {
    if (!accounts[sub]) return undefined;
    return { accountId: sub, claims: async () => ({ sub, email: accounts[sub].email, name: sub }) };
  },
  // The platform's claims go into the access token (what the services read) and the ID token alike.
  extraTokenClaims: async (_ctx, token) => platformClaims(token.accountId),
  features: {
    devInteractions: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => resources[0],
      useGrantedResource: () => true,
      getResourceServerInfo: (_ctx, resource) => {
        if (!resources.includes(resource)) throw new Provider.errors.InvalidTarget();
        return { scope: 'api', audience: resource, accessTokenTTL: 600, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } };
      },
    },
  },
  // A refresh token for every sign-in of a client allowed the grant (no offline_access: the gateway's session is
  // online), rotated at every use, so a replayed one is seen (ADR 0604).
  issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
  rotateRefreshToken: () => true,
  ttl: { RefreshToken: 600, AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 600, Grant: 600 },
});
provider.on('server_error', (_ctx, error) => process.stderr.write(`provider server_error: ${error.stack}\n`));
server.on('request', provider.callback());
process.stdout.write(`${JSON.stringify({ issuer })}\n`);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
