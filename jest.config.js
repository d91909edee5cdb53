// One Jest run for the whole workspace: unit specs (*.spec.ts), integration specs against the real
// PostgreSQL and Kafka (*.int-spec.ts) and end-to-end specs over HTTP (*.e2e-spec.ts).
const fs = require('node:fs');
const path = require('node:path');

const { compilerOptions } = JSON.parse(fs.readFileSync(path.join(__dirname, 'tsconfig.base.json'), 'utf8'));
const moduleNameMapper = {};
for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
  moduleNameMapper[`^${alias.replace(/[/.]/g, (c) => `\\${c}`)}$`] = `<rootDir>/${target}`;
}
const swc = JSON.parse(fs.readFileSync(path.join(__dirname, '.swcrc'), 'utf8'));
delete swc.$schema;

module.exports = {
  testEnvironment: 'node',
  rootDir: __dirname,
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test', '<rootDir>/deploy'],
  testMatch: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts'],
  transform: { '^.+\\.(t|j|mj)s$': ['@swc/jest', { ...swc, swcrc: false }] },
  // jose ships ESM only; Jest's CommonJS runtime needs it transformed.
  transformIgnorePatterns: ['/node_modules/(?!(jose)/)'],
  moduleNameMapper,
  testTimeout: 60_000,
  maxWorkers: 2,
  setupFiles: ['reflect-metadata'],
};
