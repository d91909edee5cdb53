export * from './lib/mspdi.model';
export { MspdiError, isMspdiError } from './lib/mspdi.errors';
export type { MspdiErrorCode } from './lib/mspdi.errors';
export { parseMspdi } from './lib/parse/mspdi.parser';
export { writeMspdi } from './lib/write/mspdi.writer';
