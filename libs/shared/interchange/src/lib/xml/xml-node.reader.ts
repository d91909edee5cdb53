import { invalidMspdi } from '../mspdi.errors';
import type { IsoDate, IsoDateTime, IsoTime } from '../mspdi.model';

/**
 * Typed, path-aware access to the loose object tree fast-xml-parser returns. Every read either
 * yields a value of the expected type or throws `MSPDI_INVALID` naming the element, so the
 * parsers above work only with validated values.
 */
export interface XmlNode {
  readonly path: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

export function childNode(node: XmlNode, name: string): XmlNode | null {
  const value = node.fields[name];
  if (value === undefined || value === '') return null;
  if (Array.isArray(value)) return asNode(value[0], `${node.path}/${name}`);
  return asNode(value, `${node.path}/${name}`);
}

/** Repeated children, e.g. `children(tasksNode, 'Task')`. */
export function children(node: XmlNode | null, name: string): XmlNode[] {
  if (node === null) return [];
  const value = node.fields[name];
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.filter((item) => item !== '').map((item, index) => asNode(item, `${node.path}/${name}[${index + 1}]`));
}

function asNode(value: unknown, path: string): XmlNode {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidMspdi(path, 'expected an element with child elements');
  }
  return { path, fields: value as Record<string, unknown> };
}

export function readText(node: XmlNode, name: string): string | null {
  const value = node.fields[name];
  if (value === undefined) return null;
  const single = Array.isArray(value) ? value[0] : value;
  if (typeof single === 'string') return single;
  if (typeof single === 'number' || typeof single === 'boolean') return String(single);
  throw invalidMspdi(`${node.path}/${name}`, 'expected text, found nested elements');
}

const fail = (node: XmlNode, name: string, text: string, expected: string): never => {
  throw invalidMspdi(`${node.path}/${name}`, `'${text}' is not ${expected}`);
};

export function readNumber(node: XmlNode, name: string): number | null {
  const text = readText(node, name);
  if (text === null || text.trim() === '') return null;
  const value = Number(text.trim());
  return Number.isFinite(value) ? value : fail(node, name, text, 'a number');
}

export function readInteger(node: XmlNode, name: string): number | null {
  const value = readNumber(node, name);
  return value === null || Number.isInteger(value) ? value : fail(node, name, String(value), 'an integer');
}

export function requireInteger(node: XmlNode, name: string): number {
  const value = readInteger(node, name);
  if (value === null) throw invalidMspdi(`${node.path}/${name}`, 'is required');
  return value;
}

/** xsd:boolean: `1`/`0` from Microsoft Project, `true`/`false` from some other tools. */
export function readBoolean(node: XmlNode, name: string): boolean | null {
  const text = readText(node, name)?.trim();
  if (text === undefined || text === '') return null;
  if (text === '1' || text === 'true') return true;
  if (text === '0' || text === 'false') return false;
  return fail(node, name, text, 'a boolean');
}

export function readEnum<T>(node: XmlNode, name: string, table: readonly (T | null)[]): T | null {
  const code = readInteger(node, name);
  if (code === null) return null;
  const value = table[code];
  return value === undefined || value === null ? fail(node, name, String(code), 'a known code') : value;
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/;

function isValidDateTime(text: string): boolean {
  const match = DATE_TIME.exec(text);
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? '0'));
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 2025-02-30 over to March; comparing the parts back catches impossible dates.
  const sameDay = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return sameDay && hour <= 24 && minute < 60 && second < 60;
}

/** Normalised to `YYYY-MM-DDTHH:mm:ss` (fractions of a second are dropped, as Project does). */
export function readDateTime(node: XmlNode, name: string): IsoDateTime | null {
  const text = readText(node, name)?.trim();
  if (text === undefined || text === '') return null;
  if (!isValidDateTime(text)) return fail(node, name, text, 'a date-time (YYYY-MM-DDTHH:mm:ss)');
  const [date, time] = text.split('T');
  return `${date}T${(time.length === 5 ? `${time}:00` : time).slice(0, 8)}`;
}

export function readDate(node: XmlNode, name: string): IsoDate | null {
  return readDateTime(node, name)?.slice(0, 10) ?? null;
}

const TIME = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/;

export function readTime(node: XmlNode, name: string): IsoTime | null {
  const text = readText(node, name)?.trim();
  if (text === undefined || text === '') return null;
  const match = TIME.exec(text);
  if (!match || Number(match[1]) > 24 || Number(match[2]) > 59 || Number(match[3] ?? '0') > 59) {
    return fail(node, name, text, 'a time (HH:mm:ss)');
  }
  return `${match[1]}:${match[2]}:${match[3] ?? '00'}`;
}
