import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { OpenAPIObject, OperationObject, PathItemObject, SchemaObject } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from './problem-details.types';

export interface OpenApiOptions {
  title: string;
  description?: string;
  version?: string;
}

/** Name of the bearer security scheme in every service's document. */
export const BEARER_AUTH_SCHEME = 'bearer';

export const OPENAPI_PATHS = { ui: '/docs', json: '/docs-json' } as const;

/**
 * Whether Swagger UI and the document are served: `API_DOCS=true|false`, else on outside production and off in
 * production (the document maps every route and parameter: an attacker's index, and nothing a client needs at run
 * time; publish it from CI instead).
 */
export function apiDocsEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env['API_DOCS']?.trim().toLowerCase();
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  if (value) throw new Error(`API_DOCS must be true or false, got "${env['API_DOCS']}"`);
  return env['NODE_ENV'] !== 'production';
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

const problemDetailsSchema: SchemaObject = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'instance', 'code'],
  properties: {
    type: { type: 'string', format: 'uri', example: 'https://pm.example/problems/validation-failed' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string', description: 'The request path' },
    code: { type: 'string', description: 'Stable UPPER_SNAKE error code', example: 'VALIDATION_FAILED' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['path', 'message'],
        properties: {
          path: { type: 'string', description: 'JSON Pointer into the validated input' },
          message: { type: 'string' },
        },
      },
    },
    traceId: { type: 'string', description: 'W3C trace id of the request' },
    details: { type: 'object', additionalProperties: true },
  },
};

/**
 * Serves Swagger UI at `/docs` and the document at `/docs-json`. Every operation requires a
 * bearer JWT unless its handler is `@Public()`, and every operation documents its errors as
 * problem+json, so a client generator gets the error type for free.
 */
export function setupOpenApi(app: INestApplication, options: OpenApiOptions): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle(options.title)
    .setDescription(options.description ?? '')
    .setVersion(options.version ?? '0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, BEARER_AUTH_SCHEME)
    .addSecurityRequirements(BEARER_AUTH_SCHEME)
    .build();
  const document = withProblemResponses(SwaggerModule.createDocument(app, config));
  SwaggerModule.setup(OPENAPI_PATHS.ui.slice(1), app, document, {
    jsonDocumentUrl: OPENAPI_PATHS.json.slice(1),
    raw: ['json'],
  });
  return document;
}

function withProblemResponses(document: OpenAPIObject): OpenAPIObject {
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ProblemDetails: problemDetailsSchema },
  };
  for (const pathItem of Object.values(document.paths) as PathItemObject[]) {
    for (const method of HTTP_METHODS) {
      const operation: OperationObject | undefined = pathItem[method];
      if (!operation || operation.responses.default) continue;
      operation.responses.default = {
        description: 'Error (RFC 9457 problem details)',
        content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/ProblemDetails' } } },
      };
    }
  }
  return document;
}
