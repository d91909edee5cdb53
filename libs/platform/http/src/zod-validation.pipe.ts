import { Body, Param, Query } from '@nestjs/common';
import type { ArgumentMetadata, PipeTransform } from '@nestjs/common';
import { ZodType } from 'zod';
import { ProblemException } from './problem.exception';
import { PROBLEM_CODES } from './problem-details.types';
import { zodIssuesToFieldErrors } from './problem-details.mapper';

/**
 * Parses one handler argument with a zod schema and hands the handler the parsed value
 * (defaults applied, unknown keys stripped by `z.object`). A failure is a 400
 * `VALIDATION_FAILED` problem listing every issue, not just the first.
 *
 * Without a schema of its own it uses the one given to Nest's `@Body({ schema })`, so it can
 * also be registered globally.
 */
export class ZodValidationPipe implements PipeTransform<unknown, unknown> {
  constructor(private readonly schema?: ZodType) {}

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    const schema = this.schema ?? (metadata.schema instanceof ZodType ? metadata.schema : undefined);
    if (!schema) return value;
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    const errors = zodIssuesToFieldErrors(result.error);
    // A named param/query key is validated on its own; prefix it so the pointer says which one.
    const prefixed = metadata.data ? errors.map((e) => ({ ...e, path: `/${metadata.data}${e.path}` })) : errors;
    throw new ProblemException(
      {
        status: 400,
        code: PROBLEM_CODES.validationFailed,
        detail: `The request ${describe(metadata)} has ${prefixed.length} validation issue(s).`,
        errors: prefixed,
      },
      { cause: result.error },
    );
  }
}

function describe(metadata: ArgumentMetadata): string {
  switch (metadata.type) {
    case 'body':
      return 'body';
    case 'query':
      return 'query';
    case 'param':
      return 'path parameters';
    default:
      return 'input';
  }
}

/**
 * `@ZodBody(schema) body: z.output<typeof schema>`: validated, parsed body. Passing the schema
 * to Nest as well is what makes @nestjs/swagger document the real request body.
 */
export function ZodBody(schema: ZodType): ParameterDecorator {
  return Body({ schema, pipes: [new ZodValidationPipe(schema)] });
}

/** `@ZodQuery(schema)`: the whole query string, parsed; each property becomes a documented parameter. */
export function ZodQuery(schema: ZodType): ParameterDecorator {
  return Query({ schema, pipes: [new ZodValidationPipe(schema)] });
}

/** `@ZodParam('projectId', schema)`: one path parameter, parsed. */
export function ZodParam(name: string, schema: ZodType): ParameterDecorator {
  return Param(name, { schema, pipes: [new ZodValidationPipe(schema)] });
}
