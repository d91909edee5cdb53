import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { renderAsyncApiYaml } from './asyncapi.generator';
// Importing the public entry point registers every contract before the document is generated.
import '../index';

const target = path.resolve(__dirname, '../../../../docs/asyncapi.yaml');
const rendered = renderAsyncApiYaml();
const relative = path.relative(process.cwd(), target);

if (process.argv.includes('--check')) {
  const current = existsSync(target) ? readFileSync(target, 'utf8') : '';
  if (current !== rendered) {
    process.stderr.write(`${relative} is out of date: run npm run asyncapi\n`);
    process.exitCode = 1;
  }
} else {
  writeFileSync(target, rendered);
  process.stdout.write(`wrote ${relative}\n`);
}
