/**
 * A minimal XML serializer: the MSPDI schema is a strict `xsd:sequence`, so elements are listed
 * explicitly in schema order by the writers rather than produced from object key order.
 */
export interface XmlElement {
  readonly name: string;
  readonly content: string | readonly XmlElement[];
}

export type XmlValue = string | number | boolean | null | undefined;

export const element = (name: string, content: string | readonly XmlElement[]): XmlElement => ({ name, content });

/** A leaf element, or nothing when the value is absent (or an empty string). */
export function leaf(name: string, value: XmlValue): XmlElement[] {
  if (value === null || value === undefined || value === '') return [];
  return [element(name, formatValue(value))];
}

/** A container element, or nothing when it would be empty. */
export function group(name: string, content: readonly XmlElement[]): XmlElement[] {
  return content.length === 0 ? [] : [element(name, content)];
}

function formatValue(value: string | number | boolean): string {
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number') return formatDecimal(value);
  return value;
}

/** xsd:decimal has no exponent notation, which `String(1e-7)` would produce. */
export function formatDecimal(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`cannot write ${value} as an XML number`);
  if (value !== 0 && Math.abs(value) < 1e-6) return value.toFixed(12).replace(/0+$/, '');
  return String(value);
}

/** The Char production of XML 1.0: anything else cannot be written, not even as a reference. */
const isXmlChar = (code: number): boolean =>
  code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || code >= 0x10000;

/** Iterating by code point leaves lone surrogates as single (illegal) characters. */
export const stripNonXmlChars = (text: string): string =>
  Array.from(text).filter((char) => isXmlChar(char.codePointAt(0) ?? 0)).join('');

const numericReference = (char: string): string => `&#${char.charCodeAt(0)};`;

/**
 * Escapes text content. Carriage returns and whitespace at either end become character
 * references: a parser would otherwise normalise `\r\n` to `\n` and trim the edges.
 */
export function escapeText(text: string): string {
  const escaped = stripNonXmlChars(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#13;');
  // \s is exactly what String.prototype.trim (and so the parser's trimValues) removes.
  return escaped
    .replace(/^\s+/, (edge) => [...edge].map(numericReference).join(''))
    .replace(/\s+$/, (edge) => [...edge].map(numericReference).join(''));
}

function render(node: XmlElement, depth: number, lines: string[]): void {
  const indent = '\t'.repeat(depth);
  if (typeof node.content === 'string') {
    lines.push(`${indent}<${node.name}>${escapeText(node.content)}</${node.name}>`);
    return;
  }
  if (node.content.length === 0) {
    lines.push(`${indent}<${node.name}/>`);
    return;
  }
  lines.push(`${indent}<${node.name}>`);
  for (const child of node.content) render(child, depth + 1, lines);
  lines.push(`${indent}</${node.name}>`);
}

/** The document, with the declaration Microsoft Project itself writes. */
export function renderDocument(root: XmlElement, namespace: string): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'];
  render(root, 0, lines);
  lines[1] = lines[1].replace(`<${root.name}>`, `<${root.name} xmlns="${namespace}">`);
  return `${lines.join('\n')}\n`;
}
