import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PERMISSIONS_DOC, collectAllRoutes, endpointsWithoutRule, renderPermissionMatrix } from '../scripts/lib/permission-matrix';
import type { ServiceRoutes } from '../scripts/lib/permission-matrix';

describe('permission matrix (docs/permissions.md)', () => {
  let services: ServiceRoutes[];

  beforeAll(async () => {
    services = await collectAllRoutes();
  });

  it('gives every endpoint of every service a role rule, or marks it public', () => {
    expect(endpointsWithoutRule(services)).toEqual([]);
  });

  it('keeps public only what needs no token (health probes, the metrics scrape with its own rule) and the inbox stream, which authenticates itself', () => {
    const publicPaths = new Set(services.flatMap((s) => s.routes.filter((r) => r.public).map((r) => r.path)));
    // GET /inbox/stream: bearer header or a single-use ticket cookie, checked by its controller (ADR 0401).
    expect([...publicPaths].sort()).toEqual(['/health/live', '/health/ready', '/inbox/stream', '/metrics']);
  });

  it('reads the rules the guard applies (a known write and a known read)', () => {
    const planning = services.find((s) => s.service === 'planning-service')!.routes;
    expect(planning.find((r) => r.method === 'POST' && r.path === '/projects')?.roles).toEqual(['pmo-admin', 'project-manager']);
    expect(planning.find((r) => r.method === 'GET' && r.path === '/projects/:projectId')?.roles).toHaveLength(5);
  });

  it('is up to date with the code (run `npm run docs:permissions` when this fails)', () => {
    const committed = readFileSync(join(__dirname, '..', PERMISSIONS_DOC), 'utf8');
    expect(committed).toBe(renderPermissionMatrix(services));
  });
});
