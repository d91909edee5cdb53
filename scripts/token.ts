/**
 * Mints a development bearer token and prints only the token, so it composes:
 *
 *   TOKEN=$(npm run -s token -- --tenant acme --role project-manager)
 *   curl -H "Authorization: Bearer $TOKEN" localhost:3001/...
 *
 * `-s` matters: without it npm prints its "> pm-platform@0.1.0 token" banner on stdout too.
 * Signs with AUTH_JWT_SECRET, else the development secret the services accept by default.
 */
import { parseArgs } from 'node:util';
import { ROLES, roleSchema, signDevToken } from '@pm/platform/auth';

const USAGE = `Usage: npm run -s token -- --tenant <tenant> --role <role> [--role <role2>] [--sub <id>] [--expires-in <span>]
Roles: ${ROLES.join(', ')}
Options:
  --tenant       tenant id (required)
  --role         a role; repeat for several (at least one)
  --sub          subject / user id (default: dev-user)
  --email        e-mail claim (the notification service mails there)
  --locale       locale claim, e.g. de-DE (dates in e-mail)
  --expires-in   jose time span, e.g. 15m, 8h, 7d (default: 8h)
Env: AUTH_JWT_SECRET, AUTH_ISSUER, AUTH_AUDIENCE are honoured.`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      tenant: { type: 'string' },
      role: { type: 'string', multiple: true },
      sub: { type: 'string' },
      email: { type: 'string' },
      locale: { type: 'string' },
      'expires-in': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stderr.write(`${USAGE}\n`);
    return 0;
  }
  const roles = (values.role ?? []).map((role) => roleSchema.safeParse(role));
  const unknown = (values.role ?? []).filter((_role, i) => !roles[i]?.success);
  if (!values.tenant || roles.length === 0 || unknown.length > 0) {
    if (unknown.length > 0) process.stderr.write(`Unknown role(s): ${unknown.join(', ')}\n`);
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const token = await signDevToken({
    tenant: values.tenant,
    roles: roles.flatMap((r) => (r.success ? [r.data] : [])),
    sub: values.sub,
    email: values.email,
    locale: values.locale,
    expiresIn: values['expires-in'],
  });
  process.stdout.write(`${token}\n`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
