// First: the services below read the topic names when they load (own-topics renames them for this file, so their
// fresh consumer groups read this spec's events only, not every earlier spec's history from offset 0).
import { ownTopics } from './own-topics';
import { randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import { AppModule as PlanningApp } from '../../apps/planning-service/src/app.module';
import { AppModule as ResourceApp } from '../../apps/resource-service/src/app.module';
import { signDevToken } from '@pm/platform/auth';
import { createTestDatabase, waitFor } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { describeWithMspdiTestdata, readMspdiTestdata, resourceBearingFiles } from '../../libs/resource/feature/src/lib/import/mspdi-testdata.fixtures';
import { startService } from './service-harness';
import type { RunningService } from './service-harness';

let topics: { remove(): Promise<void> } | undefined;

interface ImportBody {
  resources: { imported: Array<{ uid: number; id: string; name: string; outcome: string }>; skipped: Array<{ uid: number; reason: string }>; rejected: unknown[] };
  rates: { scheduled: number };
  availability: { set: number };
  assignments: { imported: Array<{ uid: number; id: string; outcome: string }>; skipped: Array<{ uid: number; reason: string }>; rejected: unknown[] };
  warnings: string[];
}

/**
 * POST /resources/import with the files Microsoft Project wrote (../shared/testdata/mspdi), against the real
 * service, PostgreSQL and broker. Assignments need their tasks from planning's events, so planning imports the
 * same file's tasks first and the resource service learns them over pm.planning.events.
 */
describeWithMspdiTestdata('Resource import from Microsoft Project XML', () => {
  let planningDb: TestDatabase;
  let resourceDb: TestDatabase;
  let planning: RunningService;
  let resource: RunningService;
  const tenant = `tenant-${randomBytes(4).toString('hex')}`;
  let rm: string;
  let pm: string;
  let member: string;

  const importFile = (xml: string, query: Record<string, string>, token = () => rm, type = 'application/xml') =>
    request(resource.url).post('/resources/import').query(query).set('authorization', `Bearer ${token()}`).set('content-type', type).send(xml);

  beforeAll(async () => {
    topics = await ownTopics();
    planningDb = await createTestDatabase('e2e_resimport_planning');
    resourceDb = await createTestDatabase('e2e_resimport_resource');
    planning = await startService('planning-service', PlanningApp.register({ pgUrl: planningDb.url }));
    resource = await startService('resource-service', ResourceApp.register({ pgUrl: resourceDb.url, consumerGroupId: `resource-import-e2e-${randomBytes(4).toString('hex')}` }));
    rm = await signDevToken({ tenant, roles: ['resource-manager'], sub: 'rm-1' });
    pm = await signDevToken({ tenant, roles: ['project-manager'], sub: 'pm-1' });
    member = await signDevToken({ tenant, roles: ['team-member'], sub: 'tm-1' });
  }, 120_000);

  afterAll(async () => {
    await resource?.close();
    await planning?.close();
    await resourceDb?.drop();
    await planningDb?.drop();
    await topics?.remove();
  });

  it.each(resourceBearingFiles())('imports %s without error', async (file) => {
    const res = await importFile(readMspdiTestdata(file), { importId: randomUUID() }).expect(200);
    const body = res.body as ImportBody;
    expect(body.resources.rejected).toEqual([]);
    expect(body.assignments.rejected).toEqual([]);
    expect(body.resources.imported.every((r) => r.outcome === 'created')).toBe(true);
  }, 60_000);

  it('mspdicostratetable.xml: the rate table with its effective dates, readable on the resource', async () => {
    const res = await importFile(readMspdiTestdata('mspdicostratetable.xml'), { importId: randomUUID() }).expect(200);
    const body = res.body as ImportBody;
    expect(body.resources.imported.map((r) => r.name)).toEqual(['Resource One', 'Resource Two', 'Resource Three']);
    // One row each for One (a 0.00 rate, as the file says) and Two, two dated rows for Three.
    expect(body.rates.scheduled).toBe(4);
    const three = body.resources.imported.find((r) => r.name === 'Resource Three');
    const view = await request(resource.url).get(`/resources/${three?.id}`).set('authorization', `Bearer ${rm}`).expect(200);
    expect(view.body.resource.rates).toEqual([
      { effectiveFrom: '1984-01-01', standardRate: { amountMinor: 500, currency: 'GBP' }, overtimeRate: { amountMinor: 1000, currency: 'GBP' } },
      { effectiveFrom: '2009-06-15', standardRate: { amountMinor: 120000, currency: 'GBP' }, overtimeRate: { amountMinor: 2500, currency: 'GBP' } },
    ]);
  });

  it('resource-type-project2016: five people and five materials in the pool, cost resources reported as skipped', async () => {
    const res = await importFile(readMspdiTestdata('resource-type-project2016-mspdi.xml'), { importId: randomUUID() }).expect(200);
    const body = res.body as ImportBody;
    expect(body.resources.imported).toHaveLength(10);
    expect(body.resources.skipped.filter((s) => s.reason === 'COST_RESOURCE').map((s) => s.uid)).toEqual([1, 2, 3, 4, 5]);
    // Earlier imports in this file may still be reaching the pool read model: look for this import's ids only.
    const ids = new Set(body.resources.imported.map((r) => r.id));
    const pool = await waitFor(async () => {
      const list = (await request(resource.url).get('/resources').set('authorization', `Bearer ${rm}`).expect(200)).body as Array<{ resourceId: string; kind: string }>;
      const mine = list.filter((r) => ids.has(r.resourceId));
      return mine.length === 10 && mine;
    });
    expect(pool.map((r) => r.kind).sort()).toEqual([...Array(5).fill('material'), ...Array(5).fill('person')]);
  });

  it('importing the same file under the same import id twice creates nothing twice', async () => {
    const importId = randomUUID();
    const xml = readMspdiTestdata('resource-numbers-project2019-mspdi.xml');
    const first = (await importFile(xml, { importId }).expect(200)).body as ImportBody;
    expect(first.resources.imported).toHaveLength(20);
    const second = (await importFile(xml, { importId }).expect(200)).body as ImportBody;
    expect(second.resources.imported.map((r) => r.id)).toEqual(first.resources.imported.map((r) => r.id));
    expect(second.resources.imported.every((r) => r.outcome === 'unchanged')).toBe(true);
    expect(second.rates.scheduled).toBe(0);
    const ids = new Set(first.resources.imported.map((r) => r.id));
    // The pool list is a read model: wait until it has caught up with both imports, then count.
    const fromThisImport = await waitFor(async () => {
      const pool = (await request(resource.url).get('/resources').set('authorization', `Bearer ${rm}`).expect(200)).body as Array<{ resourceId: string; name: string }>;
      const mine = pool.filter((r) => ids.has(r.resourceId));
      return mine.length >= 20 && mine;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(fromThisImport).toHaveLength(20);
    expect(fromThisImport.filter((r) => r.name === 'Number7')).toHaveLength(1);
  });

  it('assignment-assignments-project2019: reports unknown tasks, then assigns once planning has announced them', async () => {
    const xml = readMspdiTestdata('assignment-assignments-project2019-mspdi.xml');
    const importId = randomUUID();
    const projectId = (await request(planning.url).post('/projects').set('authorization', `Bearer ${pm}`).send({ name: 'Imported plan' }).expect(201)).body.projectId as string;
    const early = (await importFile(xml, { importId, projectId }).expect(200)).body as ImportBody;
    expect(early.assignments.skipped.map((s) => [s.uid, s.reason])).toEqual([
      [4, 'TASK_UNKNOWN'],
      [5, 'TASK_UNKNOWN'],
      [6, 'TASK_UNKNOWN'],
    ]);
    await request(planning.url).post(`/projects/${projectId}/schedule/import`).set('authorization', `Bearer ${pm}`).set('content-type', 'application/xml').send(xml).expect(202); // a job: its events reach the resource service once committed (ADR 0009)
    const done = await waitFor(
      async () => {
        const body = (await importFile(xml, { importId, projectId }).expect(200)).body as ImportBody;
        return body.assignments.imported.length === 3 && body;
      },
      { timeoutMs: 90_000, intervalMs: 1000, what: 'tasks t1..t3 known to the resource service' },
    );
    expect(done.assignments.skipped).toEqual([]);
    expect(done.resources.imported.every((r) => r.outcome === 'unchanged')).toBe(true);
    const assignment = await request(resource.url).get(`/assignments/${done.assignments.imported[1]?.id}`).set('authorization', `Bearer ${rm}`).expect(200);
    expect(assignment.body.state.assignment).toMatchObject({ projectId, taskId: 't2', load: { kind: 'units', percent: 100 } });
    const again = (await importFile(xml, { importId, projectId }).expect(200)).body as ImportBody;
    expect(again.assignments.imported.map((a) => a.outcome)).toEqual(['unchanged', 'unchanged', 'unchanged']);
  }, 120_000);

  it.each([
    ['text that is not XML', 'this is not xml', 400, 'MSPDI_NOT_XML'],
    ['XML that is not a Microsoft Project file', '<Project xmlns="http://schemas.microsoft.com/developer/msbuild/2003"/>', 422, 'MSPDI_NOT_A_PROJECT'],
    ['a resource with a bad number', '<Project xmlns="http://schemas.microsoft.com/project"><StartDate>2024-01-08T08:00:00</StartDate><Resources><Resource><UID>one</UID><Name>x</Name></Resource></Resources></Project>', 422, 'MSPDI_INVALID'],
  ])('rejects %s as problem+json', async (_label, xml, status, code) => {
    const res = await importFile(xml, { importId: randomUUID() }).expect(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status, code });
  });

  it('rejects another media type, a missing import id, and callers who may not edit rates', async () => {
    const xml = readMspdiTestdata('mspdiresource.xml');
    expect((await importFile(xml, { importId: randomUUID() }, () => rm, 'text/plain').expect(415)).body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    await importFile(xml, {}).expect(400);
    await importFile(xml, { importId: randomUUID() }, () => member).expect(403);
    await importFile(xml, { importId: randomUUID() }, () => pm).expect(403);
  });
});
