import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..');
const env = { ...process.env, NX_DAEMON: 'false' };

interface LintMessage {
  ruleId: string | null;
  severity: number;
  message: string;
}

/** Lints source as if it lived at `file`, with the workspace's real ESLint config, the way `npm run lint` does. */
function lintAs(file: string, source?: string): LintMessage[] {
  const args = [path.join(root, 'node_modules/eslint/bin/eslint.js'), '--format', 'json', '--no-ignore'];
  const run = source === undefined
    ? spawnSync(process.execPath, [...args, file], { cwd: root, env, encoding: 'utf8' })
    : spawnSync(process.execPath, [...args, '--stdin', '--stdin-filename', file], { cwd: root, env, input: source, encoding: 'utf8' });
  const [result] = JSON.parse(run.stdout) as Array<{ messages: LintMessage[] }>;
  return result.messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries' && m.severity === 2);
}

describe('Architecture boundaries (Nx tags + @nx/enforce-module-boundaries)', () => {
  beforeAll(() => {
    // The rule reads Nx's project graph; compute it as `nx lint` would.
    execFileSync(process.execPath, [path.join(root, 'node_modules/nx/dist/bin/nx.js'), 'show', 'projects'], { cwd: root, env, stdio: 'ignore' });
  });

  it('fails lint when a domain lib imports @nestjs/* or pg (fixture file)', () => {
    const fixture = readFileSync(path.join(root, 'test/fixtures/impure-domain.fixture.ts'), 'utf8');
    const errors = lintAs('libs/planning/domain/src/impure-domain.fixture.ts', fixture).map((m) => m.message);
    expect(errors).toEqual([
      expect.stringContaining('"type:domain" is not allowed to import "@nestjs/common"'),
      expect.stringContaining('"type:domain" is not allowed to import "pg"'),
    ]);
  });

  it.each(['kafkajs', 'typeorm'])('fails lint when a domain lib imports %s', (pkg) => {
    const errors = lintAs('libs/shared/scheduling/src/virtual.ts', `import * as x from '${pkg}';\nexport const y = x;\n`);
    expect(errors.map((m) => m.message)).toEqual([expect.stringContaining(`is not allowed to import "${pkg}"`)]);
  });

  it('fails lint when a domain lib imports a feature lib', () => {
    const errors = lintAs('libs/planning/domain/src/virtual.ts', "import * as f from '@pm/planning/feature';\nexport const x = f;\n");
    expect(errors).not.toHaveLength(0);
  });

  it('fails lint when one bounded context imports another', () => {
    const errors = lintAs('libs/reporting/data-access/src/virtual.ts', "import * as p from '@pm/planning/data-access';\nexport const x = p;\n");
    expect(errors.map((m) => m.message).join('\n')).toContain('scope:reporting');
  });

  it('accepts a domain lib that depends only on other domain libs', () => {
    const errors = lintAs('libs/planning/domain/src/virtual.ts', "import * as s from '@pm/shared/scheduling';\nexport const x = s;\n");
    expect(errors).toEqual([]);
  });
});
