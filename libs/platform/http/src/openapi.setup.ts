import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { OpenAPIObject, SchemaObject } from '@nestjs/swagger';
import { withProblemResponses } from './openapi-problems';

export interface OpenApiServer {
  url: string;
  description?: string;
}

export interface OpenApiOptions {
  title: string;
  description?: string;
  version?: string;
  /** Where the API is served; `OPENAPI_SERVER_URL` (when set) comes first. */
  servers?: OpenApiServer[];
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
  const document = buildOpenApiDocument(app, options);
  SwaggerModule.setup(OPENAPI_PATHS.ui.slice(1), app, document, {
    jsonDocumentUrl: OPENAPI_PATHS.json.slice(1),
    raw: ['json'],
  });
  return document;
}

/** The service's OpenAPI document (what `/docs-json` serves and `npm run openapi` writes to docs/openapi/). */
export function buildOpenApiDocument(app: INestApplication, options: OpenApiOptions): OpenAPIObject {
  let builder = new DocumentBuilder()
    .setTitle(options.title)
    .setDescription(options.description || options.title)
    .setVersion(options.version ?? '0.1.0')
    .setLicense('UNLICENSED', 'https://pm.example/license')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, BEARER_AUTH_SCHEME)
    .addSecurityRequirements(BEARER_AUTH_SCHEME);
  const servers = [...(process.env['OPENAPI_SERVER_URL'] ? [{ url: process.env['OPENAPI_SERVER_URL'], description: 'This deployment' }] : []), ...(options.servers ?? [])];
  for (const server of servers) builder = builder.addServer(server.url, server.description);
  return withProblemResponses(SwaggerModule.createDocument(app, builder.build()), problemDetailsSchema);
}
