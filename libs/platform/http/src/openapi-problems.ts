import { applyDecorators } from '@nestjs/common';
import { ApiExtension, ApiResponse } from '@nestjs/swagger';
import type { OpenAPIObject, OperationObject, ParameterObject, PathItemObject, ResponseObject, SchemaObject } from '@nestjs/swagger';
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENCY_KEY_MAX_LENGTH } from './idempotency/idempotency-key';
import { PROBLEM_CONTENT_TYPE } from './problem-details.types';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** What each error status means on this platform; every one is RFC 9457 problem+json with a stable `code`. */
export const PROBLEM_RESPONSES: Readonly<Record<number, { name: string; description: string }>> = {
  400: { name: 'BadRequest', description: 'Invalid request: parameters, query or body fail validation (VALIDATION_FAILED, every issue in `errors`), malformed JSON (MALFORMED_JSON), NUL or lone surrogates in text, an invalid `Idempotency-Key` (IDEMPOTENCY_KEY_INVALID)' },
  401: { name: 'Unauthorized', description: 'No bearer token, or one that is invalid or expired' },
  403: { name: 'Forbidden', description: 'The token holds none of the roles this operation needs' },
  404: { name: 'NotFound', description: 'No such resource in the caller\'s tenant' },
  409: { name: 'Conflict', description: 'The change conflicts with the current state (a concurrent change, a duplicate id, a job already running), or a request with the same `Idempotency-Key` is still being processed (IDEMPOTENCY_KEY_IN_FLIGHT, with `Retry-After`)' },
  413: { name: 'PayloadTooLarge', description: 'The body is over the limit of this operation (PAYLOAD_TOO_LARGE)' },
  415: { name: 'UnsupportedMediaType', description: 'The body is not of a media type this operation reads' },
  422: { name: 'UnprocessableContent', description: 'Well-formed but refused by a business rule (the rule\'s code), or an `Idempotency-Key` already used for a different request (IDEMPOTENCY_KEY_REUSED)' },
  429: { name: 'TooManyRequests', description: 'Rate limit or job queue of the tenant or principal reached; `Retry-After` says when to try again' },
  503: { name: 'ServiceUnavailable', description: 'Not answered in time (REQUEST_TIMED_OUT) or a dependency is down; `Retry-After` when known' },
};

export type ProblemStatus = keyof typeof PROBLEM_RESPONSES;

const problemContent = { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/ProblemDetails' } } };

/**
 * Documents extra problem responses on a handler, beyond those {@link withProblemResponses} infers (e.g. a 404 on a
 * route without path parameters, a 409 on a read that can conflict).
 */
export function ApiProblemResponses(...statuses: ProblemStatus[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) => ApiResponse({ status, description: PROBLEM_RESPONSES[status]?.description ?? 'Error', content: problemContent })),
  );
}

/**
 * The problem responses an operation can answer, from what it is: every one can be invalid (400) and time out
 * (503); a secured one can be unauthenticated, forbidden and rate limited (401, 403, 429); a path with parameters
 * can point at nothing (404); a change can conflict or break a rule (409, 422); a body can be too large or of the
 * wrong type (413, 415).
 */
export function problemStatusesOf(method: string, path: string, operation: OperationObject, globallySecured: boolean): number[] {
  const secured = operation.security ? operation.security.length > 0 : globallySecured;
  const changes = method !== 'get' && method !== 'head' && method !== 'options';
  const statuses = [400];
  if (secured) statuses.push(401, 403);
  if (path.includes('{')) statuses.push(404);
  if (changes) statuses.push(409);
  if (operation.requestBody) statuses.push(413, 415);
  if (changes) statuses.push(422);
  if (secured) statuses.push(429);
  statuses.push(503);
  return statuses;
}

/**
 * Adds the ProblemDetails schema, one shared response per error status (`components.responses`), and on every
 * operation the problem responses {@link problemStatusesOf} infers and any documented by hand, all as problem+json.
 */
export function withProblemResponses(document: OpenAPIObject, problemDetailsSchema: SchemaObject): OpenAPIObject {
  // Only the shared responses some operation refers to: an unused component is noise a linter rightly flags.
  const responses: Record<string, ResponseObject> = {};
  const parameters: Record<string, ParameterObject> = {};
  const globallySecured = (document.security ?? []).length > 0;
  for (const [path, pathItem] of Object.entries(document.paths) as Array<[string, PathItemObject]>) {
    for (const method of HTTP_METHODS) {
      const operation: OperationObject | undefined = pathItem[method];
      if (!operation) continue;
      withSuccessBody(operation);
      if (method !== 'get' && method !== 'head' && method !== 'options') {
        operation.parameters = [...(operation.parameters ?? []), { $ref: `#/components/parameters/${IDEMPOTENCY_KEY_PARAMETER}` }];
        parameters[IDEMPOTENCY_KEY_PARAMETER] = idempotencyKeyParameter;
      }
      for (const status of problemStatusesOf(method, path, operation, globallySecured)) {
        const shared = PROBLEM_RESPONSES[status];
        if (!shared || operation.responses[status]) continue;
        operation.responses[status] = { $ref: `#/components/responses/${shared.name}` };
        responses[shared.name] = { description: shared.description, content: problemContent };
      }
      // A 4xx documented by hand (its own description) is problem+json all the same.
      for (const [status, response] of Object.entries(operation.responses)) {
        if (response && status.startsWith('4') && !('$ref' in response) && !response.content) response.content = problemContent;
      }
      delete operation.responses.default;
    }
  }
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ProblemDetails: problemDetailsSchema },
    responses: { ...document.components?.responses, ...sortedByName(responses) },
    ...(Object.keys(parameters).length ? { parameters: { ...document.components?.parameters, ...parameters } } : {}),
  };
  return document;
}

const IDEMPOTENCY_KEY_PARAMETER = 'IdempotencyKey';

/** The header every command operation reads (ADR 0013, draft-ietf-httpapi-idempotency-key-header). */
const idempotencyKeyParameter: ParameterObject = {
  name: IDEMPOTENCY_KEY_HEADER,
  in: 'header',
  required: false,
  description:
    'Makes a retry safe: the first request with a key runs and its 2xx or 4xx answer is kept for 24 h per tenant and caller; ' +
    'the same request (method, path, body) with the key again gets that answer with `Idempotent-Replayed: true` and is not run again. ' +
    'The key with another request: 422 IDEMPOTENCY_KEY_REUSED; while the first still runs: 409 IDEMPOTENCY_KEY_IN_FLIGHT with `Retry-After`. ' +
    'A 5xx is not kept, so a retry runs again, unless the command had committed: then the retry gets the success status with ' +
    '`Idempotency-Recovered: true` and a body naming the committed outcome. A UUID is a good key; a bare value or a structured-field string.',
  schema: { type: 'string', minLength: 1, maxLength: IDEMPOTENCY_KEY_MAX_LENGTH, pattern: '^"?[!-~]+"?$', example: '8e03978e-40d5-43e8-bc93-6894a57f9324' },
};

function sortedByName<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

const SUCCESS_BODY = 'x-pm-success-body';

/**
 * Documents the JSON body of a handler's 2xx answer, whatever its status (200, 201 or 202 by `@HttpCode`), so one
 * decorator serves every handler that answers the same shape.
 */
export function ApiSuccessBody(schema: SchemaObject): MethodDecorator & ClassDecorator {
  return ApiExtension(SUCCESS_BODY, schema);
}

function withSuccessBody(operation: OperationObject): void {
  const extended = operation as unknown as Record<string, unknown>;
  const schema = extended[SUCCESS_BODY] as SchemaObject | undefined;
  if (!schema) return;
  delete extended[SUCCESS_BODY];
  for (const [status, response] of Object.entries(operation.responses)) {
    if (response && status.startsWith('2') && !('$ref' in response) && !response.content) response.content = { 'application/json': { schema } };
  }
}

/** Events a command decided, as its answer lists them (their contracts are in docs/asyncapi.yaml). */
export const decidedEventsSchema: SchemaObject = {
  type: 'array',
  items: {
    type: 'object',
    required: ['type', 'data'],
    properties: { type: { type: 'string', description: 'Event type, e.g. TaskScheduled' }, data: { type: 'object', additionalProperties: true } },
  },
};
