import { SaxesParser } from 'saxes';
import { MSPDI_NAMESPACE } from '../codec/enums.codec';
import { MspdiError } from '../mspdi.errors';
import type { XmlNode } from './xml-node.reader';

/**
 * Every loop the input controls has a cap (ADR 0009). Defaults fit Microsoft Project's own maximum, 400,000 tasks
 * (about 70 MB of MSPDI), with room; past a cap the read stops with a named error.
 */
export interface XmlLimits {
  /** Bytes of input (UTF-8). Past it: MSPDI_TOO_LARGE (413). */
  readonly maxBytes: number;
  /** Element nesting. MSPDI needs 6; past it: MSPDI_LIMIT_EXCEEDED (422). */
  readonly maxDepth: number;
  /** Elements in the document. */
  readonly maxElements: number;
  /** Attributes on one element. */
  readonly maxAttributes: number;
  /** Characters of one text node (a task's notes are the longest). */
  readonly maxTextLength: number;
}

export const DEFAULT_XML_LIMITS: XmlLimits = {
  maxBytes: 120 * 1024 * 1024,
  maxDepth: 32,
  maxElements: 60_000_000,
  maxAttributes: 16,
  maxTextLength: 1024 * 1024,
};

/** Elements that may repeat: they are arrays in the tree even when single, as the readers expect. */
const REPEATED = new Set([
  'Calendar', 'WeekDay', 'WorkingTime', 'Exception', 'Task', 'PredecessorLink', 'Baseline', 'ExtendedAttribute',
  'Resource', 'Rate', 'AvailabilityPeriod', 'Assignment', 'TimephasedData', 'OutlineCode', 'WorkWeek',
]);

interface Frame {
  readonly name: string;
  readonly path: string;
  /** Without a prototype: an element named `__proto__` or `constructor` is a field like any other. */
  readonly fields: Record<string, unknown>;
  text: string;
  childCount: number;
}

/**
 * Streams a `<Project>` document through a SAX parser, building the same tree the element readers expect, except
 * that the elements `collect` names (e.g. `Project/Tasks/Task`) are handed to `onElement` as soon as they close and
 * never kept: memory holds the project's header and one task at a time, not the document. Synchronous per chunk
 * (feed it from a stream, a worker thread keeps the event loop free).
 */
export class XmlStreamReader {
  private readonly parser = new SaxesParser({ position: true });
  private readonly stack: Frame[] = [];
  private root: XmlNode | null = null;
  private bytes = 0;
  private started = false;
  private elements = 0;
  private failure: MspdiError | null = null;

  constructor(
    private readonly collect: ReadonlySet<string>,
    private readonly onElement: (path: string, node: XmlNode, index: number) => void,
    private readonly limits: XmlLimits = DEFAULT_XML_LIMITS,
  ) {
    this.parser.on('doctype', () => this.fail(new MspdiError('MSPDI_INVALID', 'DOCTYPE declarations are not accepted in MSPDI files')));
    this.parser.on('opentag', (tag) => this.open(tag.name, tag.attributes as Record<string, string>));
    this.parser.on('text', (text) => this.textOf(text));
    this.parser.on('cdata', (text) => this.textOf(text));
    this.parser.on('closetag', () => this.close());
    this.parser.on('error', (error) => {
      // saxes prefixes "line:column: "; say it in words.
      const message = error.message.replace(/^\d+:\d+:\s*/, '').replace(/\.$/, '');
      this.fail(new MspdiError('MSPDI_NOT_XML', `not well-formed XML (line ${this.parser.line}, column ${this.parser.column}): ${message}`));
    });
  }

  write(chunk: string): void {
    this.throwIfFailed();
    this.bytes += Buffer.byteLength(chunk);
    if (this.bytes > this.limits.maxBytes) this.fail(new MspdiError('MSPDI_TOO_LARGE', `the document is larger than ${this.limits.maxBytes} bytes`));
    this.throwIfFailed();
    // A byte order mark opens some files saved on Windows; it is not content.
    this.parser.write(this.started ? chunk : chunk.replace(/^\uFEFF/, ''));
    this.started = true;
    this.throwIfFailed();
  }

  /** The root's fields read so far (the project's header precedes its tasks in MSPDI's schema). */
  header(): XmlNode | null {
    const root = this.stack[0];
    return root ? { path: root.name, fields: root.fields } : this.root;
  }

  /** The `<Project>` root with everything not collected; throws if the document is not a whole MSPDI project. */
  end(): XmlNode {
    this.throwIfFailed();
    this.parser.close();
    this.throwIfFailed();
    if (this.root === null) throw new MspdiError('MSPDI_NOT_XML', 'the input is empty');
    return this.root;
  }

  private open(name: string, attributes: Record<string, string>): void {
    if (this.failure) return;
    if (++this.elements > this.limits.maxElements) return this.fail(limit(`more than ${this.limits.maxElements} elements`));
    if (this.stack.length + 1 > this.limits.maxDepth) return this.fail(limit(`elements nested deeper than ${this.limits.maxDepth}`));
    const names = Object.keys(attributes);
    if (names.length > this.limits.maxAttributes) return this.fail(limit(`an element with more than ${this.limits.maxAttributes} attributes`));
    const parent = this.stack.at(-1);
    if (!parent) {
      if (this.root !== null) return this.fail(new MspdiError('MSPDI_NOT_XML', 'an XML document has exactly one root element'));
      if (name !== 'Project') return this.fail(new MspdiError('MSPDI_NOT_A_PROJECT', `the root element is <${name}>, not a Microsoft Project <Project>`));
      const namespace = attributes['xmlns'];
      if (typeof namespace !== 'string' || !(namespace === MSPDI_NAMESPACE || namespace.startsWith(`${MSPDI_NAMESPACE}/`))) {
        return this.fail(
          new MspdiError('MSPDI_NOT_A_PROJECT', `<Project> is not in the Microsoft Project namespace ${MSPDI_NAMESPACE} (MSBuild and other tools also use <Project>)`),
        );
      }
    }
    const fields: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const attribute of names) fields[`@_${attribute}`] = attributes[attribute];
    const index = parent ? ++parent.childCount : 1;
    const path = parent ? `${parent.path}/${name}${REPEATED.has(name) ? `[${index}]` : ''}` : name;
    this.stack.push({ name, path, fields, text: '', childCount: 0 });
  }

  private textOf(text: string): void {
    const frame = this.stack.at(-1);
    if (!frame || this.failure) return;
    frame.text += text;
    if (frame.text.length > this.limits.maxTextLength) this.fail(limit(`a text of more than ${this.limits.maxTextLength} characters`));
  }

  private close(): void {
    const frame = this.stack.pop();
    if (!frame || this.failure) return;
    const hasChildren = Object.keys(frame.fields).length > 0;
    // Text is kept as written: the readers of numbers, dates and flags trim, names and notes keep their spaces (the
    // writer encodes significant edge whitespace as references, which a SAX parser decodes like any other text).
    // A repeated element (a Task, a Calendar) holds elements: whitespace alone in one is indentation, so it is empty.
    const text = REPEATED.has(frame.name) && frame.text.trim() === '' ? '' : frame.text;
    const value: unknown = hasChildren ? frame.fields : text;
    const parent = this.stack.at(-1);
    if (!parent) {
      this.root = { path: frame.name, fields: frame.fields };
      return;
    }
    const key = `${parent.path.replace(/\[\d+\]/g, '')}/${frame.name}`;
    if (this.collect.has(key)) {
      if (value !== '') this.onElement(key, { path: frame.path, fields: hasChildren ? frame.fields : (Object.create(null) as Record<string, unknown>) }, parent.childCount);
      return;
    }
    if (REPEATED.has(frame.name)) {
      const list = parent.fields[frame.name];
      if (Array.isArray(list)) list.push(value);
      else parent.fields[frame.name] = [value];
    } else {
      parent.fields[frame.name] = value;
    }
  }

  private fail(error: MspdiError): void {
    this.failure ??= error;
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }
}

const limit = (what: string): MspdiError => new MspdiError('MSPDI_LIMIT_EXCEEDED', `the document has ${what}`);
