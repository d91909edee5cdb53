import fc from 'fast-check';

import { parseMspdi } from '../parse/mspdi.parser';
import { projectArb } from '../testing/mspdi.arbitraries';
import { describeWithTestdata, parseTestdata, testdataFiles } from '../testing/testdata.fixtures';
import { writeMspdi } from './mspdi.writer';

describeWithTestdata('parse -> write -> parse on files saved by Microsoft Project', () => {
  it.each(testdataFiles())('%s gives the same model', (file) => {
    const model = parseTestdata(file);
    expect(parseMspdi(writeMspdi(model))).toEqual(model);
  });

  it.each(testdataFiles())('%s is written the same way twice (write is deterministic)', (file) => {
    const once = writeMspdi(parseTestdata(file));
    expect(writeMspdi(parseMspdi(once))).toBe(once);
  });
});

describe('parse -> write -> parse on generated models', () => {
  it('gives the same model', () => {
    fc.assert(
      fc.property(projectArb, (model) => {
        expect(parseMspdi(writeMspdi(model))).toEqual(model);
      }),
      { numRuns: 150 },
    );
  });
});
