import fc from 'fast-check';
import type { Arbitrary } from 'fast-check';

/** The part of an OpenAPI 3 schema object the generator reads. */
export interface Schema {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
  minItems?: number;
  maxItems?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  nullable?: boolean;
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
  default?: unknown;
}

/** Names that break code using plain objects as maps keyed by client ids (issue 10, point 1). */
export const PROTOTYPE_NAMES = ['constructor', '__proto__', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'] as const;

/** Text no business value needs and PostgreSQL cannot store, and text of abusive size. */
export const HOSTILE_TEXT: readonly string[] = [
  ...PROTOTYPE_NAMES,
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udc00y',
  '',
  ' ',
  '%00',
  '../../etc/passwd',
  "' OR '1'='1",
  '=cmd|calc!A1',
  '<![CDATA[x]]>',
  'x'.repeat(100_000),
  '\u202e\u200b\ufeff',
];

export const HOSTILE_NUMBERS: readonly number[] = [0, -1, 1.5, -0, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 31, -(2 ** 31) - 1, 5e-324];

/** `{"a":{"a":…}}` `depth` levels deep, as JSON text (a value this deep overflows the stack of JSON.stringify). */
export function deepJson(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/** `{"a":{"a":…}}` `depth` levels deep. */
export function deeplyNested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

const WRONG_TYPES: readonly unknown[] = [null, true, [], {}, [[[[]]]], { __proto__: { polluted: true } }, JSON.parse('{"__proto__":{"polluted":true}}'), deeplyNested(200)];

export const hostileValue: Arbitrary<unknown> = fc.oneof(fc.constantFrom(...HOSTILE_TEXT), fc.constantFrom(...HOSTILE_NUMBERS), fc.constantFrom(...WRONG_TYPES));

export const hostileText: Arbitrary<string> = fc.constantFrom(...HOSTILE_TEXT);

export class SchemaArbitraries {
  constructor(private readonly components: Record<string, Schema>) {}

  /** Mostly values the schema allows (boundaries included), sometimes hostile ones in their place at any depth. */
  of(schema: Schema, depth = 0): Arbitrary<unknown> {
    return fc.oneof({ weight: 4, arbitrary: this.valid(schema, depth) }, { weight: 1, arbitrary: hostileValue });
  }

  private resolve(schema: Schema): Schema {
    let current = schema;
    for (let hops = 0; current.$ref && hops < 20; hops++) {
      current = this.components[current.$ref.replace('#/components/schemas/', '')] ?? {};
    }
    return current;
  }

  /** Only values the schema allows (boundaries included): what seeding sends to create things to point at. */
  valid(input: Schema, depth = 0): Arbitrary<unknown> {
    const schema = this.resolve(input);
    const nullable = schema.nullable || (Array.isArray(schema.type) && schema.type.includes('null'));
    const base = this.validNonNull(schema, depth);
    return nullable ? fc.oneof(base, fc.constant(null)) : base;
  }

  private validNonNull(schema: Schema, depth: number): Arbitrary<unknown> {
    if (schema.const !== undefined) return fc.constant(schema.const);
    if (schema.enum?.length) return fc.constantFrom(...schema.enum);
    const choices = schema.oneOf ?? schema.anyOf;
    if (choices?.length) return fc.oneof(...choices.map((s) => this.valid(s, depth)));
    if (schema.allOf?.length) return this.object(mergeAll(schema.allOf.map((s) => this.resolve(s))), depth);
    const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
    switch (type) {
      case 'string':
        return this.string(schema);
      case 'integer':
        return this.number(schema, true);
      case 'number':
        return this.number(schema, false);
      case 'boolean':
        return fc.boolean();
      case 'array':
        return depth > 6 ? fc.constant([]) : fc.array(this.of(schema.items ?? {}, depth + 1), { minLength: schema.minItems ?? 0, maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 4, 4)) });
      case 'object':
        return this.object(schema, depth);
      default:
        return schema.properties ? this.object(schema, depth) : fc.jsonValue({ maxDepth: 2 });
    }
  }

  private object(schema: Schema, depth: number): Arbitrary<unknown> {
    if (depth > 6) return fc.constant({});
    const properties = schema.properties ?? {};
    const required = new Set(schema.required ?? []);
    const record: Record<string, Arbitrary<unknown>> = {};
    for (const [name, property] of Object.entries(properties)) record[name] = this.of(property, depth + 1);
    const requiredKeys = Object.keys(properties).filter((k) => required.has(k));
    const known = fc.record(record, { requiredKeys });
    // Sometimes an extra key named like a prototype member, which a strict schema must refuse and nothing may index.
    const extra = fc.dictionary(fc.constantFrom(...PROTOTYPE_NAMES, 'unknownField'), hostileValue, { maxKeys: 2 });
    return fc.oneof({ weight: 5, arbitrary: known }, { weight: 1, arbitrary: fc.tuple(known, extra).map(([a, b]) => ({ ...b, ...a })) });
  }

  private string(schema: Schema): Arbitrary<string> {
    switch (schema.format) {
      case 'date':
        return fc.oneof(fc.date({ min: new Date('1900-01-01'), max: new Date('2200-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)), fc.constantFrom('2024-02-30', '0000-00-00', '9999-12-31'));
      case 'date-time':
        return fc.date({ min: new Date('1900-01-01'), max: new Date('2200-12-31'), noInvalidDate: true }).map((d) => d.toISOString());
      case 'uuid':
        return fc.uuid();
      case 'uri':
        return fc.webUrl();
      case 'email':
        return fc.emailAddress();
      default: {
        const minLength = schema.minLength ?? 0;
        const maxLength = Math.min(schema.maxLength ?? 40, 300);
        const plain = fc.string({ minLength, maxLength: Math.max(minLength, Math.min(maxLength, 40)) });
        const boundary = fc.constantFrom('a'.repeat(Math.max(minLength, 1)), 'b'.repeat(maxLength), 'c'.repeat(maxLength + 1));
        return fc.oneof({ weight: 4, arbitrary: plain }, { weight: 1, arbitrary: boundary });
      }
    }
  }

  private number(schema: Schema, integer: boolean): Arbitrary<number> {
    const min = typeof schema.minimum === 'number' ? schema.minimum : typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum : -1_000;
    const max = typeof schema.maximum === 'number' ? schema.maximum : typeof schema.exclusiveMaximum === 'number' ? schema.exclusiveMaximum : 1_000;
    const inRange = integer
      ? fc.integer({ min: Math.max(Math.ceil(min), Number.MIN_SAFE_INTEGER), max: Math.min(Math.floor(max), Number.MAX_SAFE_INTEGER) })
      : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
    return fc.oneof({ weight: 4, arbitrary: inRange }, { weight: 1, arbitrary: fc.constantFrom(min, max, min - 1, max + 1) });
  }
}

function mergeAll(schemas: Schema[]): Schema {
  return schemas.reduce<Schema>(
    (merged, s) => ({ ...merged, ...s, properties: { ...merged.properties, ...s.properties }, required: [...(merged.required ?? []), ...(s.required ?? [])] }),
    { type: 'object' },
  );
}

/** Percent-encodes a path segment or query value as a hostile client would send it, lone surrogates included. */
export function encodeHostile(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < value.length && /[\udc00-\udfff]/.test(value[i + 1] ?? '')) {
      out += encodeURIComponent(value.slice(i, i + 2));
      i++;
    } else if (code >= 0xd800 && code <= 0xdfff) {
      // What a lone surrogate becomes in (invalid, CESU-8 style) UTF-8 bytes.
      out += `%${(0xe0 | (code >> 12)).toString(16).toUpperCase()}%${(0x80 | ((code >> 6) & 0x3f)).toString(16).toUpperCase()}%${(0x80 | (code & 0x3f)).toString(16).toUpperCase()}`;
    } else {
      out += encodeURIComponent(value[i] ?? '');
    }
  }
  return out;
}
