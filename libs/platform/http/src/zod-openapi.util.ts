import type { SchemaObject } from '@nestjs/swagger';
import { toJSONSchema } from 'zod';
import type { ZodType } from 'zod';

/**
 * A zod schema as an OpenAPI 3.0 schema object, for `@ApiOkResponse({ schema })` and friends.
 * Request bodies given to `@ZodBody` need no call: @nestjs/swagger converts them itself.
 *
 * `io: 'output'` describes what a handler returns (defaults filled in), `'input'` what a
 * client may send (defaults optional).
 */
export function zodToOpenApi(schema: ZodType, io: 'input' | 'output' = 'output'): SchemaObject {
  const jsonSchema = toJSONSchema(schema, {
    target: 'openapi-3.0',
    io,
    // Dates, bigints and the like have no JSON Schema form; describe them loosely rather than
    // failing the whole document over one field.
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  // OpenAPI 3.0 schema objects have no `$schema` keyword.
  delete jsonSchema['$schema'];
  return jsonSchema as SchemaObject;
}
