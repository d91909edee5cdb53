import fc from 'fast-check';
import type { Arbitrary } from 'fast-check';
import { deepJson, encodeHostile, hostileText } from './openapi-arbitraries';
import type { Schema, SchemaArbitraries } from './openapi-arbitraries';

interface ParameterObject {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, { operationId?: string; parameters?: ParameterObject[]; requestBody?: { content?: Record<string, { schema?: Schema }> } }>>;
  components?: { schemas?: Record<string, Schema> };
}

export interface Operation {
  readonly method: string;
  readonly path: string;
  readonly pathParams: ParameterObject[];
  readonly query: ParameterObject[];
  readonly body?: { contentType: string; schema: Schema };
}

export interface FuzzRequest {
  readonly method: string;
  readonly path: string;
  readonly url: string;
  readonly token: string;
  readonly contentType?: string;
  readonly body?: string;
}

export interface Outcome {
  readonly status: number | 'timeout' | 'connection-error';
  readonly contentType: string;
  readonly body: string;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Every operation of the document, as the running app serves it. */
export function operationsOf(document: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const parameters = op.parameters ?? [];
      const content = op.requestBody?.content ?? {};
      const contentType = Object.keys(content).find((t) => t.includes('json')) ?? Object.keys(content)[0];
      operations.push({
        method: method.toUpperCase(),
        path,
        pathParams: parameters.filter((p) => p.in === 'path'),
        query: parameters.filter((p) => p.in === 'query'),
        body: contentType ? { contentType, schema: content[contentType]?.schema ?? {} } : undefined,
      });
    }
  }
  return operations;
}

/** XML bodies for import routes: small valid plans and the hostile shapes issue 10 names. */
const xmlBody: Arbitrary<string> = fc.oneof(
  fc.constant('<Project xmlns="http://schemas.microsoft.com/project"><Tasks><Task><UID>1</UID><Name>A</Name></Task></Tasks></Project>'),
  fc.constant(`<Project>${'<a>'.repeat(10_000)}${'</a>'.repeat(10_000)}</Project>`),
  fc.constant('<Project xmlns="http://schemas.microsoft.com/project"><__proto__><polluted>1</polluted></__proto__><Tasks><Task><UID>constructor</UID><Name>toString</Name></Task></Tasks></Project>'),
  fc.constant('<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><Project>&c;</Project>'),
  fc.constant('<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]><Project><Name>&x;</Name></Project>'),
  fc.constant('<Project><Name>a\u0000b</Name></Project>'),
  fc.constant('not xml at all'),
  fc.string({ maxLength: 200 }),
);

export interface RequestContext {
  /** Tokens by label: every role, and bad ones (missing, forged, expired, odd claims). */
  readonly tokens: Readonly<Record<string, string>>;
  /** Ids the service handed out while seeding: path parameters point at real things some of the time. */
  readonly knownIds: readonly string[];
}

/** Requests to one operation: valid, boundary and hostile path parameters, query values, bodies and tokens. */
export function requestArbitrary(op: Operation, arbs: SchemaArbitraries, ctx: RequestContext): Arbitrary<FuzzRequest> {
  const idArb: Arbitrary<string> = ctx.knownIds.length
    ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...ctx.knownIds) }, { weight: 2, arbitrary: hostileText }, { weight: 1, arbitrary: fc.uuid() })
    : fc.oneof(hostileText, fc.uuid());
  const pathArb = fc.tuple(...op.pathParams.map(() => idArb)).map((values) =>
    op.pathParams.reduce((path, p, i) => path.replace(`{${p.name}}`, encodeHostile(values[i] || 'x')), op.path),
  );
  const queryArb = fc.tuple(
    ...op.query.map((p) =>
      fc.option(
        arbs.of(p.schema ?? { type: 'string' }).map((v) => `${encodeURIComponent(p.name)}=${encodeHostile(typeof v === 'string' ? v : JSON.stringify(v) ?? '')}`),
        { nil: undefined, freq: p.required ? 10 : 2 },
      ),
    ),
  ).map((parts) => parts.filter((q): q is string => q !== undefined).join('&'));
  const bodyArb: Arbitrary<string | undefined> = !op.body
    ? fc.constant(undefined)
    : op.body.contentType.includes('xml')
      ? xmlBody
      : fc.oneof(
          { weight: 8, arbitrary: arbs.of(op.body.schema).map((v) => JSON.stringify(v) ?? 'null') },
          { weight: 1, arbitrary: fc.constantFrom('{"a":', '[]', 'null', '"\\u0000"', deepJson(5_000), '{"__proto__":{"admin":true}}') },
        );
  const tokenArb = fc.constantFrom(...Object.values(ctx.tokens));
  return fc.record({ path: pathArb, query: queryArb, body: bodyArb, token: tokenArb }).map(({ path, query, body, token }) => ({
    method: op.method,
    path: op.path,
    url: query ? `${path}?${query}` : path,
    token,
    contentType: op.body && body !== undefined ? op.body.contentType : undefined,
    body,
  }));
}

export async function send(baseUrl: string, req: FuzzRequest, timeoutMs: number): Promise<Outcome> {
  const headers: Record<string, string> = {};
  if (req.token) headers['authorization'] = `Bearer ${req.token}`;
  if (req.contentType) headers['content-type'] = req.contentType;
  try {
    const res = await fetch(`${baseUrl}${req.url}`, { method: req.method, headers, body: req.body, signal: AbortSignal.timeout(timeoutMs) });
    return { status: res.status, contentType: res.headers.get('content-type') ?? '', body: await res.text() };
  } catch (error) {
    const name = (error as Error).name;
    return { status: name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'connection-error', contentType: '', body: String(error) };
  }
}

/** Why the answer breaks the rule (2xx, or 4xx problem+json; never 5xx, never a hang), or undefined when it keeps it. */
export function violation(outcome: Outcome): string | undefined {
  if (typeof outcome.status !== 'number') return outcome.status;
  if (outcome.status >= 500) return `${outcome.status}`;
  if (outcome.status >= 400 && !outcome.contentType.startsWith('application/problem+json')) return `${outcome.status} without problem+json`;
  if (outcome.status < 200 || (outcome.status >= 300 && outcome.status < 400 && outcome.status !== 304)) return `${outcome.status} unexpected`;
  return undefined;
}

/** String values of `id` and `…Id` fields anywhere in a response body. */
export function idsIn(value: unknown, into: Set<string>, depth = 0): void {
  if (depth > 5 || value === null || typeof value !== 'object') return;
  for (const [key, v] of Object.entries(value)) {
    if (typeof v === 'string' && (key === 'id' || key.endsWith('Id')) && v.length <= 100) into.add(v);
    else idsIn(v, into, depth + 1);
  }
}
