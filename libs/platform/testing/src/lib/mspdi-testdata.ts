import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Real files saved by Microsoft Project 2003-2019, kept in `../shared/testdata/mspdi` beside the repository
 * (see its README.md) and never copied into it. CI has the folder too; where it is absent, the tests that need
 * it say so and skip.
 */
export const MSPDI_TESTDATA_DIR = path.resolve(__dirname, '../../../../../../shared/testdata/mspdi');

export const mspdiTestdataAvailable = (): boolean => fs.existsSync(MSPDI_TESTDATA_DIR);

/** The XML files, sorted; optionally only those whose text passes `filter`. Empty when the folder is absent. */
export function mspdiTestdataFiles(filter?: (xml: string) => boolean): string[] {
  if (!mspdiTestdataAvailable()) return [];
  return fs
    .readdirSync(MSPDI_TESTDATA_DIR)
    .filter((file) => file.endsWith('.xml') && (!filter || filter(readMspdiTestdata(file))))
    .sort();
}

export const readMspdiTestdata = (file: string): string => fs.readFileSync(path.join(MSPDI_TESTDATA_DIR, file), 'utf8');

/** `describe`, or a visible skip naming the missing folder. */
export function describeWithMspdiTestdata(name: string, body: () => void, label = 'mspdi'): void {
  if (mspdiTestdataAvailable()) {
    describe(name, body);
    return;
  }
  console.warn(`[${label}] ${MSPDI_TESTDATA_DIR} is missing: skipping "${name}"`);
  describe.skip(name, body);
}
