import type { Pool } from 'pg';
import { createPgPool, runMigrations } from '@pm/platform/event-store';
import { createTestDatabase } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { NotificationDirectory, candidatesKey } from './directory';
import { NOTIFICATION_MIGRATIONS } from './notification.migrations';

/** The directory read for a batch at once answers per (tenant, project) what the read for one event answers. */
describe('NotificationDirectory.candidatesMany (real PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;
  const directory = new NotificationDirectory();

  beforeAll(async () => {
    db = await createTestDatabase('notification_directory');
    await runMigrations(db.url, NOTIFICATION_MIGRATIONS);
    pool = createPgPool(db.url);
    const assign = (tenantId: string, userId: string, role: string, projectId: string, source: string) => directory.assign(pool, tenantId, userId, role, projectId, source);
    // Tenant a: a manager of two projects, a tenant-wide PMO admin, a risk owner of p2, a subscriber with no role,
    // and people named like Object.prototype members; tenant b has a person with the same id and other roles.
    await assign('a', 'pm-1', 'project-manager', 'p1', 'planning');
    await assign('a', 'pm-1', 'project-manager', 'p2', 'planning');
    await directory.rememberToken(pool, 'a', 'pmo', ['pmo-admin', 'viewer']);
    await assign('a', 'owner', 'risk-owner', 'p2', 'risk');
    await directory.subscribed(pool, 'a', 'watcher', 'sub-1', true);
    await assign('a', '__proto__', 'project-manager', 'constructor', 'planning');
    await directory.rememberToken(pool, 'a', 'constructor', ['viewer']);
    await assign('b', 'pm-1', 'resource-manager', 'p1', 'resource');
    await directory.subscribed(pool, 'b', 'watcher-b', 'sub-2', true);
  });

  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  it('gives every pair the people, roles, own projects and order that candidates gives it, in one statement', async () => {
    const pairs = [
      { tenantId: 'a', projectId: 'p1' },
      { tenantId: 'a', projectId: 'p2' },
      { tenantId: 'a', projectId: null },
      { tenantId: 'a', projectId: 'constructor' },
      { tenantId: 'a', projectId: 'p1' },
      { tenantId: 'b', projectId: 'p1' },
      { tenantId: 'b', projectId: 'p9' },
      { tenantId: 'nobody', projectId: 'p1' },
    ];
    let statements = 0;
    const counting = { query: (...args: Parameters<Pool['query']>) => (statements++, pool.query(...args)) } as unknown as Pool;
    const many = await directory.candidatesMany(counting, pairs);
    expect(statements).toBe(1);
    expect([...many.keys()].sort()).toEqual([...new Set(pairs.map((p) => candidatesKey(p.tenantId, p.projectId)))].sort());
    for (const { tenantId, projectId } of pairs) {
      const one = await directory.candidates(pool, tenantId, projectId);
      expect(many.get(candidatesKey(tenantId, projectId))).toEqual(one);
    }
    // The pairs really differ (the comparison above is not of empty lists).
    expect(many.get(candidatesKey('a', 'p2'))?.map((e) => e.userId)).toEqual(['constructor', 'owner', 'pm-1', 'pmo', 'watcher']);
    expect(many.get(candidatesKey('a', 'constructor'))?.find((e) => e.userId === '__proto__')).toEqual({ userId: '__proto__', roles: ['project-manager'], ownProjects: ['constructor'] });
    expect(many.get(candidatesKey('b', 'p1'))).toEqual([
      { userId: 'pm-1', roles: ['resource-manager'], ownProjects: [] },
      { userId: 'watcher-b', roles: [], ownProjects: [] },
    ]);
    expect(many.get(candidatesKey('nobody', 'p1'))).toEqual([]);
  });

  it('asks nothing for no pairs', async () => {
    expect(await directory.candidatesMany({ query: () => Promise.reject(new Error('no query expected')) } as unknown as Pool, [])).toEqual(new Map());
  });
});
