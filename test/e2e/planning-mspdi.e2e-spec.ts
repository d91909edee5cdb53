import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { AppModule as PlanningApp } from '../../apps/planning-service/src/app.module';
import { parseMspdi } from '@pm/shared/interchange';
import { signDevToken } from '@pm/platform/auth';
import { eventsMatchTheirContracts } from './planning-contract-check';
import { createTestDatabase, describeWithMspdiTestdata, mspdiTestdataFiles, readMspdiTestdata } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { startService } from './service-harness';
import type { RunningService } from './service-harness';

/** Real files saved by Microsoft Project 2003–2019 (see their README); never copied into the repository. */
const files = mspdiTestdataFiles();

interface TaskRow {
  wbsCode: string;
  name: string;
  kind: string;
  [key: string]: unknown;
}

const SCHEDULE_FIELDS = ['wbsCode', 'name', 'kind', 'durationDays', 'start', 'finish', 'earlyStart', 'earlyFinish', 'lateStart', 'lateFinish', 'totalFloat', 'freeFloat', 'critical'];
const comparable = (tasks: TaskRow[]) => tasks.map((t) => Object.fromEntries(SCHEDULE_FIELDS.map((f) => [f, t[f]])));

describe('MSPDI import and export over HTTP', () => {
  let db: TestDatabase;
  let planning: RunningService;
  const tenant = `tenant-${randomBytes(4).toString('hex')}`;
  let pm: string;
  let viewer: string;
  let outsider: string;
  const previousLimit = process.env['MSPDI_BODY_LIMIT'];

  const newProject = async (name: string): Promise<string> =>
    (await request(planning.url).post('/projects').set('authorization', `Bearer ${pm}`).send({ name }).expect(201)).body.projectId;
  const importXml = (projectId: string, xml: string, token = pm, type = 'application/xml') =>
    request(planning.url).post(`/projects/${projectId}/schedule/import`).set('authorization', `Bearer ${token}`).set('content-type', type).send(xml).expect(eventsMatchTheirContracts);
  const scheduleOf = async (projectId: string) =>
    (await request(planning.url).get(`/projects/${projectId}/schedule`).set('authorization', `Bearer ${viewer}`).expect(200)).body;

  beforeAll(async () => {
    // Above the largest test file (about 570 KB), so the limit itself can be tested.
    process.env['MSPDI_BODY_LIMIT'] = String(700 * 1024);
    db = await createTestDatabase('e2e_planning_mspdi');
    planning = await startService('planning-service', PlanningApp.register({ pgUrl: db.url }));
    pm = await signDevToken({ tenant, roles: ['project-manager'], sub: 'pm-1' });
    viewer = await signDevToken({ tenant, roles: ['viewer'], sub: 'viewer-1' });
    outsider = await signDevToken({ tenant: `${tenant}-x`, roles: ['pmo-admin'], sub: 'admin-9' });
  }, 120_000);

  afterAll(async () => {
    if (previousLimit === undefined) delete process.env['MSPDI_BODY_LIMIT'];
    else process.env['MSPDI_BODY_LIMIT'] = previousLimit;
    await planning?.close();
    await db?.drop();
  });

  describeWithMspdiTestdata('real Microsoft Project files', () => {
    it.each(files)('imports %s without error, every task of the file in the WBS', async (file) => {
      const xml = readMspdiTestdata(file);
      const projectId = await newProject(file);
      const res = await importXml(projectId, xml).expect(201);
      const expected = parseMspdi(xml).tasks.filter((t) => t.outlineLevel > 0).length;
      expect(res.body.changes.filter((e: { type: string }) => e.type === 'TaskAddedToWbs')).toHaveLength(expected);
      const schedule = await scheduleOf(projectId);
      expect(schedule.tasks).toHaveLength(expected);
    });

    it('agrees with the early starts and free slack Microsoft Project 2010 saved', async () => {
      const xml = readMspdiTestdata('task-links-project2010-mspdi.xml');
      const projectId = await newProject('links 2010');
      await importXml(projectId, xml).expect(201);
      const byId = new Map<string, TaskRow>((await scheduleOf(projectId)).tasks.map((t: TaskRow & { taskId: string }) => [t.taskId, t]));
      const packages = parseMspdi(xml).tasks.filter((t) => t.outlineLevel > 0 && !t.summary && t.schedule?.earlyStart);
      expect(packages.length).toBeGreaterThan(10);
      for (const task of packages) {
        expect({ uid: task.uid, earlyStart: byId.get(`t${task.uid}`)?.['earlyStart'], freeFloat: byId.get(`t${task.uid}`)?.['freeFloat'] }).toEqual({
          uid: task.uid,
          earlyStart: task.schedule?.earlyStart?.slice(0, 10),
          freeFloat: task.schedule?.freeSlackDays,
        });
      }
    });

    it.each(['task-links-project2010-mspdi.xml', 'mspdirelations.xml', 'sample.xml'])(
      'round-trips %s: import, export, import into a new project, same schedule',
      async (file) => {
        const first = await newProject(`first ${file}`);
        await importXml(first, readMspdiTestdata(file)).expect(201);
        const exported = await request(planning.url).get(`/projects/${first}/schedule/export`).set('authorization', `Bearer ${viewer}`).expect(200);
        expect(exported.headers['content-type']).toMatch(/^application\/xml/);
        expect(exported.text).toContain('<Project xmlns="http://schemas.microsoft.com/project">');
        const second = await newProject(`second ${file}`);
        await importXml(second, exported.text).expect(201);
        const [a, b] = [await scheduleOf(first), await scheduleOf(second)];
        expect(b.projectStart).toBe(a.projectStart);
        expect(b.projectFinish).toBe(a.projectFinish);
        expect(b.dependencies).toHaveLength(a.dependencies.length);
        expect(comparable(b.tasks)).toEqual(comparable(a.tasks));
      },
    );
  });

  describe('bad files get a problem with the MSPDI error code', () => {
    it.each([
      ['text that is not XML', 'this is not xml', 400, 'MSPDI_NOT_XML'],
      ['an empty body', '', 400, 'MSPDI_NOT_XML'],
      ['XML that is not a Microsoft Project file', '<Project xmlns="http://schemas.microsoft.com/developer/msbuild/2003"/>', 422, 'MSPDI_NOT_A_PROJECT'],
      [
        'a task with an impossible duration',
        '<Project xmlns="http://schemas.microsoft.com/project"><StartDate>2024-01-08T08:00:00</StartDate><Tasks><Task><UID>1</UID><Name>x</Name><Duration>soon</Duration></Task></Tasks></Project>',
        422,
        'MSPDI_INVALID',
      ],
    ])('rejects %s', async (_label, xml, status, code) => {
      const res = await importXml(await newProject('bad'), xml).expect(status);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.code).toBe(code);
    });

    it('415 for another content type, 413 above the route limit', async () => {
      const projectId = await newProject('limits');
      expect((await importXml(projectId, '{"a":1}', pm, 'application/json').expect(415)).body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      const huge = `<Project xmlns="http://schemas.microsoft.com/project"><!--${'x'.repeat(800 * 1024)}--></Project>`;
      expect((await importXml(projectId, huge).expect(413)).body.code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('a viewer cannot import, another tenant gets 404, an imported schedule cannot be imported over', async () => {
      const projectId = await newProject('guarded');
      const xml = '<Project xmlns="http://schemas.microsoft.com/project"><StartDate>2024-01-08T08:00:00</StartDate><Tasks><Task><UID>1</UID><Name>Only</Name><Duration>PT8H0M0S</Duration></Task></Tasks></Project>';
      await importXml(projectId, xml, viewer).expect(403);
      await importXml(projectId, xml, outsider).expect(404);
      await importXml(projectId, xml).expect(201);
      expect((await importXml(projectId, xml).expect(409)).body.code).toBe('SCHEDULE_NOT_EMPTY');
      await request(planning.url).get(`/projects/${projectId}/schedule/export`).set('authorization', `Bearer ${outsider}`).expect(404);
    });
  });
});
