/**
 * Stable codes callers (and the HTTP layer) match on:
 * - `MSPDI_NOT_XML`: the input is not well-formed XML.
 * - `MSPDI_NOT_A_PROJECT`: well-formed XML, but not a Microsoft Project `<Project>` document.
 * - `MSPDI_INVALID`: an MSPDI document whose content breaks the format (bad number, date,
 *   duration, enumeration value, dangling reference, duplicate UID...).
 * - `MSPDI_UNSUPPORTED`: valid MSPDI that the scheduling engine cannot represent faithfully.
 * - `MSPDI_TOO_LARGE`: more bytes than the reader accepts (413 at the HTTP edge).
 * - `MSPDI_LIMIT_EXCEEDED`: nesting, element, attribute or text beyond the reader's caps (422).
 * - `MSPDI_TOO_MANY_TASKS`: more tasks than the importer accepts (422).
 */
export type MspdiErrorCode =
  | 'MSPDI_NOT_XML'
  | 'MSPDI_NOT_A_PROJECT'
  | 'MSPDI_INVALID'
  | 'MSPDI_UNSUPPORTED'
  | 'MSPDI_TOO_LARGE'
  | 'MSPDI_LIMIT_EXCEEDED'
  | 'MSPDI_TOO_MANY_TASKS';

export class MspdiError extends Error {
  readonly code: MspdiErrorCode;
  /** Element path of the offending value, e.g. `Tasks/Task[3]/Duration`. */
  readonly path: string | null;

  constructor(code: MspdiErrorCode, message: string, path: string | null = null) {
    super(path === null ? message : `${path}: ${message}`);
    this.name = 'MspdiError';
    this.code = code;
    this.path = path;
  }
}

export const isMspdiError = (error: unknown): error is MspdiError => error instanceof MspdiError;

export const invalidMspdi = (path: string | null, message: string): MspdiError =>
  new MspdiError('MSPDI_INVALID', message, path);
