import fs from 'node:fs';
import path from 'node:path';
import { OPENAPI_SERVICES, renderOpenApiDocument } from '../scripts/openapi-documents';

interface Operation {
  responses: Record<string, { $ref?: string; content?: Record<string, unknown> }>;
}

const docPath = (name: string) => path.join(__dirname, '..', 'docs', 'openapi', `${name}.json`);
/** 2xx answers not yet described by a schema: may shrink, never grow (remove a line when you describe one). */
const UNDESCRIBED: string[] = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'docs', 'openapi', 'undescribed-2xx.json'), 'utf8'));

/**
 * docs/openapi/<service>.json is what the service serves at /docs-json (run `npm run openapi` after changing a route);
 * the OpenAPI linter (Redocly, a step of npm test) reads these files.
 */
describe.each(OPENAPI_SERVICES.map((s) => [s.name, s] as const))('OpenAPI document of %s', (name, service) => {
  let rendered: string;
  let document: { servers?: unknown[]; paths: Record<string, Record<string, Operation>> };
  const saved = process.env['OPENAPI_SERVER_URL'];

  beforeAll(async () => {
    delete process.env['OPENAPI_SERVER_URL'];
    rendered = await renderOpenApiDocument(service);
    document = JSON.parse(rendered);
    if (saved !== undefined) process.env['OPENAPI_SERVER_URL'] = saved;
  }, 60_000);

  it('is current in docs/openapi (npm run openapi writes it)', () => {
    expect(fs.existsSync(docPath(name)) ? fs.readFileSync(docPath(name), 'utf8') : '').toBe(rendered);
  });

  it('lists servers, and every operation a 2xx and its problem+json 4xx responses', () => {
    expect(document.servers?.length).toBeGreaterThan(0);
    const operations = Object.entries(document.paths).flatMap(([p, item]) => Object.entries(item).map(([method, op]) => ({ id: `${method.toUpperCase()} ${p}`, op })));
    expect(operations.length).toBeGreaterThan(0);
    for (const { id, op } of operations) {
      const statuses = Object.keys(op.responses);
      expect({ id, has2xx: statuses.some((s) => s.startsWith('2')) }).toEqual({ id, has2xx: true });
      const problems = statuses.filter((s) => s.startsWith('4'));
      expect({ id, has400: problems.includes('400') }).toEqual({ id, has400: true });
      for (const status of problems) {
        const response = op.responses[status] ?? {};
        const problemJson = response.$ref?.startsWith('#/components/responses/') || Object.keys(response.content ?? {}).includes('application/problem+json');
        expect({ id, status, problemJson }).toEqual({ id, status, problemJson: true });
      }
    }
  });

  it('describes the body of every 2xx answer, but for those listed in docs/openapi/undescribed-2xx.json', () => {
    const undescribed = Object.entries(document.paths).flatMap(([p, item]) =>
      Object.entries(item).flatMap(([method, op]) =>
        Object.entries(op.responses)
          .filter(([status, r]) => status.startsWith('2') && status !== '204' && !r.content)
          .map(([status]) => `${name} ${method.toUpperCase()} ${p} ${status}`),
      ),
    );
    expect(undescribed.filter((u) => !UNDESCRIBED.includes(u))).toEqual([]);
    expect(UNDESCRIBED.filter((u) => u.startsWith(`${name} `) && !undescribed.includes(u))).toEqual([]);
  });
});
