import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { CloudEvent } from 'cloudevents';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { contractRegistry, generateAsyncApi, messageId, parseEventData, readCloudEvent } from '../index';
import type { EventContract } from '../index';

/**
 * Golden samples are hand-written envelopes, one per published event version, frozen once
 * published: a consumer may have stored them, so every build must still read them.
 */
const SRC = path.resolve(__dirname, '..');
const SAMPLE_FILE = /^(pm\.[a-z]+\.[A-Za-z0-9]+)\.v([1-9][0-9]*)\.json$/;

interface GoldenSample {
  readonly file: string;
  readonly type: string;
  readonly version: number;
  readonly value: Record<string, unknown>;
}

const samples: GoldenSample[] = readdirSync(SRC, { recursive: true, encoding: 'utf8' })
  .filter((file) => path.basename(path.dirname(file)) === 'samples' && file.endsWith('.json'))
  .sort()
  .map((file) => {
    const match = SAMPLE_FILE.exec(path.basename(file));
    if (match === null) throw new Error(`${file}: sample files are named <type>.v<version>.json`);
    return { file, type: match[1], version: Number(match[2]), value: JSON.parse(readFileSync(path.join(SRC, file), 'utf8')) };
  });

const sampleOf = (contract: EventContract) => samples.find((s) => s.type === contract.type && s.version === contract.version);
const contracts = contractRegistry.all().map((contract) => [`${contract.type} v${contract.version}`, contract] as const);

/** Validates like a non-TypeScript consumer would: with the published JSON Schema, not with zod. */
function publishedSchemaErrors(contract: EventContract, value: unknown): string[] {
  const ajv = new Ajv({ allErrors: true });
  addFormats(ajv);
  const { payload } = generateAsyncApi().components.messages[messageId(contract)] as { payload: object };
  const validate = ajv.compile(payload);
  return validate(value) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
}

describe('Golden samples', () => {
  it('exist', () => {
    expect(samples.length).toBeGreaterThan(0);
  });

  it.each(contracts)('exist for %s', (_name, contract) => {
    expect(sampleOf(contract)).toBeDefined();
  });

  it.each(samples.map((sample) => [sample.file, sample] as const))(
    '%s names a defined contract (types are never renamed nor versions dropped)',
    (_file, sample) => {
      expect(contractRegistry.find(sample.type, sample.version)).toBeDefined();
    },
  );

  describe.each(contracts)('%s', (_name, contract) => {
    const sample = () => {
      const found = sampleOf(contract);
      if (found === undefined) throw new Error(`no golden sample for ${contract.type} v${contract.version}`);
      return found.value;
    };

    it('parses as an envelope of its file name, data included', () => {
      const { envelope } = readCloudEvent(sample());
      expect([envelope.type, envelope.dataschema]).toEqual([contract.type, contract.dataschema]);
    });

    it('is already in parsed form (what a producer publishes)', () => {
      expect(contract.schema.parse(sample().data)).toEqual(sample().data);
    });

    it('is a valid CloudEvent for the reference SDK', () => {
      expect(new CloudEvent<unknown>(sample(), true).validate()).toBe(true);
    });

    it('matches the JSON Schema published in the AsyncAPI document', () => {
      expect(publishedSchemaErrors(contract, sample())).toEqual([]);
    });

    it('fails that JSON Schema once a field the version does not have is added', () => {
      const widened = { ...sample(), data: { ...(sample().data as object), addedLater: true } };
      expect(publishedSchemaErrors(contract, widened)).toEqual(['/data must NOT have additional properties']);
    });

    it('reads as the latest version of its type', () => {
      const { event } = readCloudEvent(sample());
      expect(event.version).toBe(contractRegistry.latest(contract.type).version);
      expect(contractRegistry.latest(contract.type).schema.safeParse(event.data).success).toBe(true);
    });
  });

  describe('upcasters, old -> new', () => {
    it('maps RiskAssessed v1 to v2 with no money figure', () => {
      const v1 = samples.find((s) => s.type === 'pm.risk.RiskAssessed' && s.version === 1)?.value.data as Record<string, unknown>;
      expect(parseEventData('pm.risk.RiskAssessed', 1, v1)).toEqual({ type: 'pm.risk.RiskAssessed', version: 2, data: { ...v1, costImpact: null, expectedCost: null } });
    });

    it('maps ProjectRiskExposureChanged v1 to v2 with no expected amount in any currency', () => {
      const v1 = samples.find((s) => s.type === 'pm.risk.ProjectRiskExposureChanged' && s.version === 1)?.value.data as { costExposure: object };
      expect(parseEventData('pm.risk.ProjectRiskExposureChanged', 1, v1)).toEqual({
        type: 'pm.risk.ProjectRiskExposureChanged',
        version: 2,
        data: { ...v1, costExposure: { ...v1.costExposure, expected: [], expectedOpportunity: [] } },
      });
    });

    it('maps ProjectRenamed v1 to v2 without inventing a previous name or a reason', () => {
      const v1 = samples.find((s) => s.type === 'pm.planning.ProjectRenamed' && s.version === 1);
      const data = v1?.value.data;
      expect(parseEventData('pm.planning.ProjectRenamed', 1, data)).toEqual({
        type: 'pm.planning.ProjectRenamed',
        version: 2,
        data: {
          projectId: '3f8a2c1e-9b7d-4e6f-a5c4-1d2e3f4a5b6c',
          name: 'Data centre exit',
          previousName: null,
          reason: null,
        },
      });
    });
  });
});
