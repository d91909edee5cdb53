/**
 * `npm run openapi`: writes each service's OpenAPI document to docs/openapi/<service>.json (what its /docs-json
 * serves, without a deployment's OPENAPI_SERVER_URL); `--check` only says which are out of date (exit 1).
 */
import 'reflect-metadata';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { OPENAPI_SERVICES, renderOpenApiDocument } from './openapi-documents';

async function main(): Promise<void> {
  const dir = path.resolve(__dirname, '../docs/openapi');
  mkdirSync(dir, { recursive: true });
  for (const service of OPENAPI_SERVICES) {
    const target = path.join(dir, `${service.name}.json`);
    const rendered = await renderOpenApiDocument(service);
    const relative = path.relative(process.cwd(), target);
    if (process.argv.includes('--check')) {
      if ((existsSync(target) ? readFileSync(target, 'utf8') : '') !== rendered) {
        process.stderr.write(`${relative} is out of date: run npm run openapi\n`);
        process.exitCode = 1;
      }
    } else {
      writeFileSync(target, rendered);
      process.stdout.write(`wrote ${relative}\n`);
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
