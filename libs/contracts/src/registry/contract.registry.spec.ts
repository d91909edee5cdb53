import { z } from 'zod';
import { projectCreatedV1, projectRenamedV1, projectRenamedV2 } from '../planning/project.contracts';
import { ContractRegistry, contractRegistry } from './contract.registry';
import { buildEventContract, defineEventContract } from './event-contract';
import { EventContractError } from './event-contract.errors';
import type { EventContractErrorCode } from './event-contract.errors';
import { parseEventData } from './parse-event-data';

function errorOf(run: () => unknown): EventContractError {
  try {
    run();
  } catch (error) {
    if (error instanceof EventContractError) return error;
    throw error;
  }
  throw new Error('expected an EventContractError');
}

const codeOf = (run: () => unknown): EventContractErrorCode => errorOf(run).code;

function renamedRegistry(): ContractRegistry {
  const registry = new ContractRegistry();
  registry.register(projectRenamedV1);
  registry.register(projectRenamedV2);
  return registry;
}

describe('Contract registry', () => {
  describe('the platform catalogue', () => {
    it('gives each contract the type pm.<context>.<Name> and a versioned dataschema', () => {
      expect(projectCreatedV1.type).toBe('pm.planning.ProjectCreated');
      expect(projectCreatedV1.dataschema).toBe('urn:pm:schema:pm.planning.ProjectCreated:1');
      expect(contractRegistry.get('pm.planning.ProjectCreated', 1)).toBe(projectCreatedV1);
    });

    it('finds the latest version of a type', () => {
      expect(contractRegistry.latest('pm.planning.ProjectRenamed')).toBe(projectRenamedV2);
    });

    it('lists every version once, ordered by type then version', () => {
      const listed = contractRegistry.all().map((contract) => `${contract.type}@${contract.version}`);
      expect(listed).toEqual([...new Set(listed)].sort());
      expect(listed).toEqual(expect.arrayContaining(['pm.planning.ProjectRenamed@1', 'pm.planning.ProjectRenamed@2']));
    });

    it('has an upcaster from every version that is not the latest', () => {
      const missing = contractRegistry
        .all()
        .filter((contract) => contract.version < contractRegistry.latest(contract.type).version)
        .filter((contract) => !contractRegistry.hasUpcaster(contract.type, contract.version))
        .map((contract) => `${contract.type} v${contract.version}`);
      expect(missing).toEqual([]);
    });

    it('refuses a second definition of a published type and version', () => {
      const define = () => defineEventContract({ ...projectCreatedV1, version: 1 });
      expect(codeOf(define)).toBe('DUPLICATE_EVENT_CONTRACT');
      expect(contractRegistry.get(projectCreatedV1.type, 1)).toBe(projectCreatedV1);
    });
  });

  describe('parseEventData', () => {
    it('returns data of the latest version unchanged', () => {
      expect(parseEventData('pm.planning.ProjectCreated', 1, projectCreatedV1.example)).toEqual({
        type: 'pm.planning.ProjectCreated',
        version: 1,
        data: projectCreatedV1.example,
      });
    });

    it('upcasts an old version to the latest', () => {
      const parsed = parseEventData('pm.planning.ProjectRenamed', 1, projectRenamedV1.example);
      expect(parsed.version).toBe(2);
      expect(parsed.data).toEqual({ ...projectRenamedV1.example, previousName: null, reason: null });
    });

    it('rejects an unknown type', () => {
      expect(codeOf(() => parseEventData('pm.planning.ProjectTeleported', 1, {}))).toBe('UNKNOWN_EVENT_TYPE');
    });

    it('rejects a version this build does not know, naming the ones it does', () => {
      const error = errorOf(() => parseEventData('pm.planning.ProjectRenamed', 3, projectRenamedV2.example));
      expect(error.code).toBe('UNKNOWN_EVENT_VERSION');
      expect(error.message).toContain('known: 1, 2');
    });

    it('rejects data that does not match its version, with the zod issues', () => {
      const error = errorOf(() => parseEventData('pm.planning.ProjectRenamed', 2, projectRenamedV1.example));
      expect(error).toMatchObject({ code: 'INVALID_EVENT_DATA', name: 'EventContractError', type: 'pm.planning.ProjectRenamed', version: 2 });
      expect(error.issues.map((issue) => issue.path.join('.')).sort()).toEqual(['previousName', 'reason']);
    });
  });

  describe('upcasting', () => {
    it('fails with MISSING_UPCASTER when a step of the chain has none', () => {
      const registry = renamedRegistry();
      expect(codeOf(() => registry.parse(projectRenamedV1.type, 1, projectRenamedV1.example))).toBe('MISSING_UPCASTER');
    });

    it('checks what an upcaster returns against the next version', () => {
      const registry = renamedRegistry();
      registry.registerUpcaster(projectRenamedV1.type, 1, (data: object) => ({ ...data, previousName: null }));
      const error = errorOf(() => registry.parse(projectRenamedV1.type, 1, projectRenamedV1.example));
      expect(error.code).toBe('UPCAST_FAILED');
      expect(error.issues.map((issue) => issue.path.join('.'))).toEqual(['reason']);
    });

    it('reports an upcaster that throws, keeping the cause', () => {
      const registry = renamedRegistry();
      const cause = new Error('boom');
      registry.registerUpcaster(projectRenamedV1.type, 1, () => {
        throw cause;
      });
      const error = errorOf(() => registry.parse(projectRenamedV1.type, 1, projectRenamedV1.example));
      expect(error.code).toBe('UPCAST_FAILED');
      expect(error.cause).toBe(cause);
    });

    it('does not accept a second upcaster for the same step', () => {
      const register = () => contractRegistry.registerUpcaster(projectRenamedV1.type, 1, (data) => data);
      expect(codeOf(register)).toBe('DUPLICATE_EVENT_CONTRACT');
    });

    it('needs both versions defined before their upcaster', () => {
      const registry = new ContractRegistry();
      registry.register(projectRenamedV1);
      expect(codeOf(() => registry.registerUpcaster(projectRenamedV1.type, 1, (data) => data))).toBe('UNKNOWN_EVENT_VERSION');
    });
  });

  describe('defining contracts', () => {
    it('requires versions in order, so the upcaster chain has no gap', () => {
      const registry = new ContractRegistry();
      expect(codeOf(() => registry.register(projectRenamedV2))).toBe('INVALID_EVENT_CONTRACT');
    });

    it('rejects an example that does not match the schema', () => {
      const build = () =>
        buildEventContract({
          context: 'planning',
          name: 'ProjectRenamed',
          version: 3,
          schema: z.strictObject({ projectId: z.uuid() }),
          description: 'A project got a new name.',
          example: { projectId: 'not-a-uuid' },
        });
      expect(errorOf(build)).toMatchObject({ code: 'INVALID_EVENT_CONTRACT', issues: [expect.objectContaining({ path: ['projectId'] })] });
    });

    it.each([
      ['a name that is not PascalCase', { name: 'projectRenamed' }],
      ['version 0', { version: 0 }],
      ['a fractional version', { version: 1.5 }],
      ['an empty description', { description: ' ' }],
    ])('rejects %s', (_case, change) => {
      expect(codeOf(() => buildEventContract({ ...projectRenamedV1, ...change }))).toBe('INVALID_EVENT_CONTRACT');
    });
  });
});
