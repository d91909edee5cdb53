import {
  centisecondsToIsoDuration,
  durationToCentiseconds,
  encodeDurationFormat,
  hoursToCentiseconds,
} from '../codec/duration.codec';
import type { MspdiCustomFieldValue, MspdiDuration } from '../mspdi.model';
import type { XmlElement } from '../xml/xml.writer';
import { element, leaf } from '../xml/xml.writer';

export interface WriteContext {
  readonly minutesPerDay: number;
}

/** `<name>` and `<formatName>` for a duration, the way Microsoft Project pairs them. */
export function durationElements(
  name: string,
  formatName: string,
  duration: MspdiDuration | null,
  context: WriteContext,
): XmlElement[] {
  if (duration === null) return [];
  return [
    ...leaf(name, centisecondsToIsoDuration(durationToCentiseconds(duration, context.minutesPerDay))),
    ...leaf(formatName, encodeDurationFormat(duration)),
  ];
}

export const workElement = (name: string, hours: number | null): XmlElement[] =>
  hours === null ? [] : leaf(name, centisecondsToIsoDuration(hoursToCentiseconds(hours)));

/** Currency is written in hundredths; rounding keeps cents exact through the float division. */
export const currencyElement = (name: string, amount: number | null): XmlElement[] =>
  amount === null ? [] : leaf(name, Math.round(amount * 100 * 100) / 100);

export function customFieldElements(values: readonly MspdiCustomFieldValue[], context: WriteContext): XmlElement[] {
  return values.map((field) =>
    element('ExtendedAttribute', [
      ...leaf('FieldID', field.fieldId),
      ...(field.kind === 'text'
        ? [element('Value', field.value)]
        : durationElements('Value', 'DurationFormat', field.duration, context)),
    ]),
  );
}
