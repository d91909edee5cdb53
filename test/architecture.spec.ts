import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

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

/** A call of the event store's `append` outside the one write path, found by the type checker. */
interface AppendCall {
  readonly file: string;
  readonly line: number;
  readonly text: string;
}

const STORE_FILE = 'libs/platform/event-store/src/lib/pg-event-store.ts';
const WRITE_PATH_DIR = 'libs/platform/event-store/src/lib/write-path/';
const isTestFile = (file: string): boolean => /\.(spec|int-spec|e2e-spec)\.ts$/.test(file);
const relative = (file: string): string => path.relative(root, file).split(path.sep).join('/');

/** Is `type` the event store class, or a class derived from it? */
function isPgEventStore(checker: ts.TypeChecker, type: ts.Type): boolean {
  const seen = new Set<ts.Type>();
  const visit = (t: ts.Type): boolean => {
    if (seen.has(t)) return false;
    seen.add(t);
    if (t.isUnionOrIntersection()) return t.types.some(visit);
    const symbol = t.getSymbol();
    const declaration = symbol?.declarations?.find(ts.isClassDeclaration);
    if (symbol?.getName() === 'PgEventStore' && declaration && relative(declaration.getSourceFile().fileName) === STORE_FILE) return true;
    return (t.isClassOrInterface() ? checker.getBaseTypes(t) : []).some(visit);
  };
  return visit(checker.getApparentType(type));
}

/**
 * Every `x.append(…)` / `x['append'](…)` whose receiver the type checker types as PgEventStore (or a subclass),
 * in the given files. A name filter picks the candidate calls; the type decides.
 */
function appendCallsOnTheStore(program: ts.Program, files: readonly string[]): AppendCall[] {
  const checker = program.getTypeChecker();
  const found: AppendCall[] = [];
  for (const file of files) {
    const source = program.getSourceFile(file);
    if (!source) throw new Error(`${file} is not in the program`);
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const callee = ts.isParenthesizedExpression(node.expression) ? node.expression.expression : node.expression;
        const receiver =
          ts.isPropertyAccessExpression(callee) && callee.name.text === 'append'
            ? callee.expression
            : ts.isElementAccessExpression(callee) && ts.isStringLiteralLike(callee.argumentExpression) && callee.argumentExpression.text === 'append'
              ? callee.expression
              : undefined;
        if (receiver && isPgEventStore(checker, checker.getTypeAtLocation(receiver))) {
          found.push({ file: relative(source.fileName), line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, text: callee.getText() });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

describe('One write path (TypeScript type checker over libs/ and apps/)', () => {
  // Files that exist only in memory, in the same program: they prove the rule sees what it must and nothing else.
  const fixtures: Record<string, string> = {
    'libs/planning/feature/src/lib/rogue-appender.fixture.ts': [
      "import type { Pool } from 'pg';",
      "import { PgEventStore } from '@pm/platform/event-store';",
      "import type { NewEvent } from '@pm/platform/event-store';",
      'class SneakyStore extends PgEventStore {}',
      'export class RogueHandler {',
      '  constructor(private readonly store: PgEventStore, private readonly pool: Pool) {}',
      '  async run(events: NewEvent[]): Promise<void> {',
      "    await this.store.append('schedule:t:p', events, 'any');",
      '    const alias = this.store;',
      "    await alias['append']('schedule:t:p', events, 'any');",
      "    await new SneakyStore(this.pool).append('schedule:t:p', events, 'any');",
      "    await (this.store as PgEventStore | undefined)?.append('schedule:t:p', events, 'any');",
      '    // Not the store: a method of the same name on other types is none of the rule\'s business.',
      "    new URLSearchParams().append('a', 'b');",
      "    const log = { append: (line: string) => line };",
      "    log.append('x');",
      '  }',
      '}',
    ].join('\n'),
    'libs/platform/event-store/src/lib/write-path/inside-write-path.fixture.ts': [
      "import type { PgEventStore } from '../pg-event-store';",
      "export const allowed = (store: PgEventStore) => store.append('s', [], 'any');",
    ].join('\n'),
  };
  let program: ts.Program;
  let sources: string[];

  beforeAll(() => {
    const config = ts.getParsedCommandLineOfConfigFile(path.join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); } });
    if (!config) throw new Error('tsconfig.json could not be read');
    sources = config.fileNames.filter((f) => /^(libs|apps)\//.test(relative(f)) && !isTestFile(f));
    const host = ts.createCompilerHost(config.options, true);
    const virtual = new Map(Object.entries(fixtures).map(([file, text]) => [path.join(root, file), text]));
    const getSourceFile = host.getSourceFile.bind(host);
    const fileExists = host.fileExists.bind(host);
    host.getSourceFile = (file, language, onError, create) => {
      const text = virtual.get(path.resolve(file));
      return text === undefined ? getSourceFile(file, language, onError, create) : ts.createSourceFile(file, text, language, true);
    };
    host.fileExists = (file) => virtual.has(path.resolve(file)) || fileExists(file);
    program = ts.createProgram({ rootNames: [...sources, ...virtual.keys()], options: config.options, host });
  }, 120_000);

  it('sees a violation: the fixture\'s direct, aliased, bracketed, optional and subclass calls of store.append', () => {
    const file = path.join(root, 'libs/planning/feature/src/lib/rogue-appender.fixture.ts');
    // The fixture type-checks, so the receivers really have the types the rule reasons about.
    expect(ts.getPreEmitDiagnostics(program, program.getSourceFile(file)).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);
    expect(appendCallsOnTheStore(program, [file]).map((c) => `${c.line} ${c.text}`)).toEqual([
      '8 this.store.append',
      "10 alias['append']",
      '11 new SneakyStore(this.pool).append',
      '12 (this.store as PgEventStore | undefined)?.append',
    ]);
  });

  it('allows only the platform\'s write path (and the store itself) to call PgEventStore.append', () => {
    expect(sources.length).toBeGreaterThan(300);
    const calls = appendCallsOnTheStore(program, [...sources, path.join(root, 'libs/platform/event-store/src/lib/write-path/inside-write-path.fixture.ts')]);
    // The rule is not vacuous: the write path's own calls are found.
    expect(calls.filter((c) => c.file.startsWith(WRITE_PATH_DIR)).length).toBeGreaterThanOrEqual(3);
    expect(calls.filter((c) => !c.file.startsWith(WRITE_PATH_DIR) && c.file !== STORE_FILE)).toEqual([]);
  });
});
