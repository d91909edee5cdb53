import nx from '@nx/eslint-plugin';

const pureDomainBans = ['@nestjs/*', 'kafkajs', 'typeorm', 'pg', 'pg-*', '@opentelemetry/*', 'pino', 'nestjs-pino'];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    ignores: ['**/dist', '**/node_modules', '**/.local', '**/coverage', '**/.nx'],
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      // Nest resolves constructor parameters from decorator metadata: a class used only as a parameter type is
      // still a runtime import. With these set, consistent-type-imports leaves such imports alone.
      parserOptions: { emitDecoratorMetadata: true, experimentalDecorators: true },
    },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:planning', onlyDependOnLibsWithTags: ['scope:planning', 'scope:shared'] },
            { sourceTag: 'scope:resource', onlyDependOnLibsWithTags: ['scope:resource', 'scope:shared'] },
            { sourceTag: 'scope:risk', onlyDependOnLibsWithTags: ['scope:risk', 'scope:shared'] },
            { sourceTag: 'scope:notification', onlyDependOnLibsWithTags: ['scope:notification', 'scope:shared'] },
            { sourceTag: 'scope:reporting', onlyDependOnLibsWithTags: ['scope:reporting', 'scope:shared'] },
            // The browser app talks to the services over HTTP only (through the gateway): no lib, no server package.
            {
              sourceTag: 'scope:web',
              onlyDependOnLibsWithTags: [],
              bannedExternalImports: [...pureDomainBans, 'jose', 'zod', 'node:*', 'express', 'rxjs'],
            },
            // The gateway holds no business code: it may use the shared platform (auth for dev tokens), nothing of a context.
            { sourceTag: 'scope:gateway', onlyDependOnLibsWithTags: ['scope:shared'], bannedExternalImports: ['react', 'react-dom', '@tanstack/*'] },
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:domain', 'type:contracts', 'type:util'],
            },
            // type:testing holds test helpers (fresh databases, waiters); only specs import it, and it imports no lib.
            {
              sourceTag: 'type:feature',
              onlyDependOnLibsWithTags: ['type:data-access', 'type:domain', 'type:contracts', 'type:util', 'type:testing'],
            },
            {
              sourceTag: 'type:data-access',
              onlyDependOnLibsWithTags: ['type:data-access', 'type:domain', 'type:contracts', 'type:util', 'type:testing'],
            },
            // A domain lib may name its contracts' types (its events ARE those contracts, ADR 0008), never import
            // contract code: the rule below allows `import type` from @pm/contracts only.
            {
              sourceTag: 'type:domain',
              onlyDependOnLibsWithTags: ['type:domain', 'type:contracts'],
              bannedExternalImports: pureDomainBans,
            },
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'], bannedExternalImports: pureDomainBans },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util', 'type:contracts'] },
            {
              sourceTag: 'type:testing',
              onlyDependOnLibsWithTags: [],
            },
          ],
        },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'separate-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ['libs/*/domain/src/**/*.ts', 'libs/shared/ddd/src/**/*.ts', 'libs/shared/scheduling/src/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { paths: [{ name: '@pm/contracts', message: 'Domain code may only import types from the contracts (ADR 0008).', allowTypeImports: true }] },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', '**/*.fixture.ts', 'bench/**/*.ts', 'scripts/**/*.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
];
