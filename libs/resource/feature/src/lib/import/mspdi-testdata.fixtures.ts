import { describeWithMspdiTestdata as describeWith, mspdiTestdataFiles } from '@pm/platform/testing';

export { readMspdiTestdata } from '@pm/platform/testing';

/** Every file there with a `<Resource>` element: the ones this service must import without error. */
export const resourceBearingFiles = (): string[] => mspdiTestdataFiles((xml) => xml.includes('<Resource>'));

export const describeWithMspdiTestdata = (name: string, body: () => void): void => describeWith(name, body, 'resource-import');
