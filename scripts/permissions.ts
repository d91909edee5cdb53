/**
 * Writes docs/permissions.md from the code: `npm run docs:permissions`. test/permissions.spec.ts fails when the
 * file differs from what this would write, or when an endpoint names no role.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PERMISSIONS_DOC, collectAllRoutes, endpointsWithoutRule, renderPermissionMatrix } from './lib/permission-matrix';

async function main(): Promise<number> {
  const services = await collectAllRoutes();
  writeFileSync(join(__dirname, '..', PERMISSIONS_DOC), renderPermissionMatrix(services));
  const missing = endpointsWithoutRule(services);
  process.stderr.write(`${PERMISSIONS_DOC}: ${services.reduce((n, s) => n + s.routes.length, 0)} endpoints\n`);
  for (const finding of missing) process.stderr.write(`no role rule: ${finding}\n`);
  return missing.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
