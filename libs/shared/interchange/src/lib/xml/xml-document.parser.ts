import { XMLParser, XMLValidator } from 'fast-xml-parser';

import { MSPDI_NAMESPACE } from '../codec/enums.codec';
import { MspdiError } from '../mspdi.errors';
import type { XmlNode } from './xml-node.reader';

/** Elements that may repeat; fast-xml-parser must return them as arrays even when single. */
const REPEATED = new Set([
  'Calendar', 'WeekDay', 'WorkingTime', 'Exception', 'Task', 'PredecessorLink', 'Baseline', 'ExtendedAttribute',
  'Resource', 'Rate', 'AvailabilityPeriod', 'Assignment', 'TimephasedData', 'OutlineCode', 'WorkWeek',
]);

const NAMED_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * One pass over the five predefined entities and numeric character references. Done here rather
 * than by the library because fast-xml-parser leaves `&#13;`-style references undecoded, and a
 * single pass cannot double-decode `&amp;#13;`. Undeclared entities stay as written.
 */
export function decodeXmlEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, ref: string) => {
    if (ref.startsWith('#x')) return safeCodePoint(parseInt(ref.slice(2), 16)) ?? whole;
    if (ref.startsWith('#')) return safeCodePoint(parseInt(ref.slice(1), 10)) ?? whole;
    return NAMED_ENTITIES[ref] ?? whole;
  });
}

const safeCodePoint = (code: number): string | null =>
  Number.isInteger(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : null;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // Kept off: it would also drop the xmlns attribute that tells MSPDI from other <Project> files.
  removeNSPrefix: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  // Entities are decoded by hand (see decodeXmlEntities); DOCTYPE expansion stays off.
  processEntities: false,
  isArray: (tagName) => REPEATED.has(tagName),
  tagValueProcessor: (_tag, value) => decodeXmlEntities(value),
});

/** Parses the text into the `<Project>` root node, or throws the named error saying why not. */
export function parseProjectRoot(xml: string): XmlNode {
  if (typeof xml !== 'string' || xml.trim() === '') {
    throw new MspdiError('MSPDI_NOT_XML', 'the input is empty');
  }
  const text = xml.replace(/^\uFEFF/, '');
  const validation = XMLValidator.validate(text);
  if (validation !== true) {
    const { msg, line, col } = validation.err;
    throw new MspdiError('MSPDI_NOT_XML', `not well-formed XML (line ${line}, column ${col ?? '?'}): ${msg}`);
  }
  if (/<!DOCTYPE/i.test(text)) {
    // Microsoft Project never writes one; refusing it keeps entity-expansion attacks out.
    throw new MspdiError('MSPDI_INVALID', 'DOCTYPE declarations are not accepted in MSPDI files');
  }
  const document = parser.parse(text) as Record<string, unknown>;
  const roots = Object.keys(document).filter((key) => !key.startsWith('?') && !key.startsWith('#'));
  if (roots.length !== 1) {
    throw new MspdiError('MSPDI_NOT_XML', `an XML document has exactly one root element, found ${roots.length}`);
  }
  const [rootName] = roots;
  const root = document[rootName];
  if (rootName !== 'Project' || typeof root !== 'object' || root === null || Array.isArray(root)) {
    throw new MspdiError('MSPDI_NOT_A_PROJECT', `the root element is <${rootName}>, not a Microsoft Project <Project>`);
  }
  const fields = root as Record<string, unknown>;
  if (!declaresProjectNamespace(fields)) {
    throw new MspdiError(
      'MSPDI_NOT_A_PROJECT',
      `<Project> is not in the Microsoft Project namespace ${MSPDI_NAMESPACE} (MSBuild and other tools also use <Project>)`,
    );
  }
  return { path: 'Project', fields };
}

function declaresProjectNamespace(fields: Record<string, unknown>): boolean {
  const namespace = fields['@_xmlns'];
  return typeof namespace === 'string' && (namespace === MSPDI_NAMESPACE || namespace.startsWith(`${MSPDI_NAMESPACE}/`));
}
