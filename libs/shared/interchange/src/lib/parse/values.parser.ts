import {
  centisecondsToHours,
  decodeDurationFormat,
  durationFromCentiseconds,
  isoDurationToCentiseconds,
} from '../codec/duration.codec';
import { invalidMspdi } from '../mspdi.errors';
import type { MspdiCustomFieldValue, MspdiDuration } from '../mspdi.model';
import type { XmlNode } from '../xml/xml-node.reader';
import { children, readInteger, readNumber, readText } from '../xml/xml-node.reader';

/** Values shared by tasks, resources and assignments, read against the project's day length. */
export interface ParseContext {
  readonly minutesPerDay: number;
}

export function readCentiseconds(node: XmlNode, name: string): number | null {
  const text = readText(node, name);
  if (text === null || text.trim() === '') return null;
  const centiseconds = isoDurationToCentiseconds(text);
  if (centiseconds === null) throw invalidMspdi(`${node.path}/${name}`, `'${text}' is not an ISO-8601 duration (PTnHnMnS)`);
  return centiseconds;
}

/** Work is a duration of working time; the model keeps it in hours. */
export function readWorkHours(node: XmlNode, name: string): number | null {
  const centiseconds = readCentiseconds(node, name);
  return centiseconds === null ? null : centisecondsToHours(centiseconds);
}

export function readFormat(node: XmlNode, name: string): ReturnType<typeof decodeDurationFormat> | null {
  const code = readInteger(node, name);
  if (code === null) return null;
  const format = decodeDurationFormat(code);
  if (format === null) throw invalidMspdi(`${node.path}/${name}`, `'${code}' is not a duration format code`);
  return format;
}

/**
 * A duration and its `…Format` sibling. Without a format the value counts in working days of the
 * project, which is how Microsoft Project reads a bare duration.
 */
export function readDuration(
  node: XmlNode,
  name: string,
  formatName: string,
  context: ParseContext,
  estimated?: boolean | null,
): MspdiDuration | null {
  const centiseconds = readCentiseconds(node, name);
  if (centiseconds === null) return null;
  const format = readFormat(node, formatName) ?? { unit: null, elapsed: false, estimated: false };
  return durationFromCentiseconds(centiseconds, { ...format, estimated: estimated ?? format.estimated }, context.minutesPerDay);
}

/** Costs are stored in hundredths of the currency unit (Cost 400000 = 4 000.00). */
export function readCurrency(node: XmlNode, name: string): number | null {
  const value = readNumber(node, name);
  return value === null ? null : value / 100;
}

export function readCustomFieldValues(node: XmlNode, context: ParseContext): MspdiCustomFieldValue[] {
  return children(node, 'ExtendedAttribute').flatMap((attribute): MspdiCustomFieldValue[] => {
    const fieldId = readText(attribute, 'FieldID')?.trim();
    if (!fieldId) return [];
    const format = readFormat(attribute, 'DurationFormat');
    const value = readText(attribute, 'Value') ?? '';
    if (format === null) return [{ fieldId, kind: 'text', value }];
    const duration = readDuration(attribute, 'Value', 'DurationFormat', context);
    return duration === null ? [{ fieldId, kind: 'text', value }] : [{ fieldId, kind: 'duration', duration }];
  });
}
