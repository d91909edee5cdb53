import * as fs from 'node:fs';
import * as path from 'node:path';

/** Files saved by Microsoft Project, kept beside the repository (see their README.md), never copied into it. */
export const MSPDI_TESTDATA_DIR = path.resolve(__dirname, '../../../../../../../shared/testdata/mspdi');

export const mspdiTestdataAvailable = fs.existsSync(MSPDI_TESTDATA_DIR);

/** Every file there with a `<Resource>` element: the ones this service must import without error. */
export const resourceBearingFiles = (): string[] =>
  mspdiTestdataAvailable
    ? fs
        .readdirSync(MSPDI_TESTDATA_DIR)
        .filter((file) => file.endsWith('.xml') && fs.readFileSync(path.join(MSPDI_TESTDATA_DIR, file), 'utf8').includes('<Resource>'))
        .sort()
    : [];

export const readMspdiTestdata = (file: string): string => fs.readFileSync(path.join(MSPDI_TESTDATA_DIR, file), 'utf8');

/** `describe`, or a visible skip naming the missing folder. */
export function describeWithMspdiTestdata(name: string, body: () => void): void {
  if (mspdiTestdataAvailable) {
    describe(name, body);
    return;
  }
  console.warn(`[resource-import] ${MSPDI_TESTDATA_DIR} is missing: skipping "${name}"`);
  describe.skip(name, body);
}
