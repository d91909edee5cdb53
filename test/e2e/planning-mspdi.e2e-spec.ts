import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { AppModule as PlanningApp } from '../../apps/planning-service/src/app.module';
import { parseMspdi } from '@pm/shared/interchange';
import { signDevToken } from '@pm/platform/auth';
import { createTestDatabase, describeWithMspdiTestdata, mspdiTestdataFiles, readMspdiTestdata, waitFor } from '@pm/platform/testing';
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
interface ImportJob {
  id: string;
  state: string;
  error: { code: string; message: string } | null;
  result: { tasks: number; links: number } | null;
  progress: { counters: Record<string, number> };
}

const MAX_TASKS = 4_000;

/** A plan of `n` one-day tasks, each after the one before unless `linked` is false. */
const chainXml = (n: number, linked = true): string =>
  `<Project xmlns="http://schemas.microsoft.com/project"><StartDate>2024-01-08T08:00:00</StartDate><Tasks>${Array.from(
    { length: n },
    (_, i) =>
      `<Task><UID>${i + 1}</UID><Name>Task ${i + 1}</Name><Duration>PT8H0M0S</Duration>${linked && i > 0 ? `<PredecessorLink><PredecessorUID>${i}</PredecessorUID><Type>1</Type></PredecessorLink>` : ''}</Task>`,
  ).join('')}</Tasks></Project>`;

const comparable = (tasks: TaskRow[]) => tasks.map((t) => Object.fromEntries(SCHEDULE_FIELDS.map((f) => [f, t[f]])));

describe('MSPDI import and export over HTTP', () => {
  let db: TestDatabase;
  let planning: RunningService;
  const tenant = `tenant-${randomBytes(4).toString('hex')}`;
  let pm: string;
  let viewer: string;
  let outsider: string;

  const newProject = async (name: string): Promise<string> =>
    (await request(planning.url).post('/projects').set('authorization', `Bearer ${pm}`).send({ name }).expect(201)).body.projectId;
  const importXml = (projectId: string, xml: string, token = pm, type = 'application/xml') =>
    request(planning.url).post(`/projects/${projectId}/schedule/import`).set('authorization', `Bearer ${token}`).set('content-type', type).send(xml);
  /** Submits an import (202 + Location of the job) and follows the job until it ends; returns the ended job. */
  const importJob = async (projectId: string, xml: string): Promise<ImportJob> => {
    const accepted = await importXml(projectId, xml).expect(202);
    const location: string = accepted.headers['location'];
    expect(location).toBe(`/projects/${projectId}/schedule/imports/${accepted.body.id}`);
    expect(accepted.body).toMatchObject({ kind: 'planning.schedule-import', state: expect.stringMatching(/^(queued|running|succeeded)$/) });
    let job: ImportJob = accepted.body;
    await waitFor(
      async () => {
        job = (await request(planning.url).get(location).set('authorization', `Bearer ${viewer}`).expect(200)).body;
        return job.state !== 'queued' && job.state !== 'running';
      },
      { what: `import job ${location} ended`, timeoutMs: 60_000, intervalMs: 50 },
    );
    return job;
  };
  const imported = async (projectId: string, xml: string): Promise<ImportJob> => {
    const job = await importJob(projectId, xml);
    expect({ state: job.state, error: job.error }).toEqual({ state: 'succeeded', error: null });
    return job;
  };
  const scheduleOf = async (projectId: string) =>
    (await request(planning.url).get(`/projects/${projectId}/schedule`).set('authorization', `Bearer ${viewer}`).expect(200)).body;
  /** A failed import leaves nothing: the schedule was never opened, or has no task. */
  const expectNoTasks = async (projectId: string) => {
    const res = await request(planning.url).get(`/projects/${projectId}/schedule`).set('authorization', `Bearer ${viewer}`);
    if (res.status === 404) expect(res.body.code).toBe('SCHEDULE_NOT_OPEN');
    else expect({ status: res.status, tasks: res.body.tasks }).toEqual({ status: 200, tasks: [] });
  };

  beforeAll(async () => {
    db = await createTestDatabase('e2e_planning_mspdi');
    // A body limit above the largest test file (about 570 KB), so the limit itself can be tested.
    planning = await startService('planning-service', PlanningApp.register({ pgUrl: db.url, imports: { maxBytes: 700 * 1024, maxTasks: MAX_TASKS } }));
    pm = await signDevToken({ tenant, roles: ['project-manager'], sub: 'pm-1' });
    viewer = await signDevToken({ tenant, roles: ['viewer'], sub: 'viewer-1' });
    outsider = await signDevToken({ tenant: `${tenant}-x`, roles: ['pmo-admin'], sub: 'admin-9' });
  }, 120_000);

  afterAll(async () => {
    await planning?.close();
    await db?.drop();
  });

  describeWithMspdiTestdata('real Microsoft Project files', () => {
    it.each(files)('imports %s without error, every task of the file in the WBS', async (file) => {
      const xml = readMspdiTestdata(file);
      const projectId = await newProject(file);
      const job = await imported(projectId, xml);
      const expected = parseMspdi(xml).tasks.filter((t) => t.outlineLevel > 0).length;
      expect(job.result?.tasks).toBe(expected);
      expect(job.progress.counters).toMatchObject({ tasksRead: expect.any(Number), tasksStored: expected });
      const schedule = await scheduleOf(projectId);
      expect(schedule.tasks).toHaveLength(expected);
    });

    it('agrees with the early starts and free slack Microsoft Project 2010 saved', async () => {
      const xml = readMspdiTestdata('task-links-project2010-mspdi.xml');
      const projectId = await newProject('links 2010');
      await imported(projectId, xml);
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
        await imported(first, readMspdiTestdata(file));
        const exported = await request(planning.url).get(`/projects/${first}/schedule/export`).set('authorization', `Bearer ${viewer}`).expect(200);
        expect(exported.headers['content-type']).toMatch(/^application\/xml/);
        expect(exported.text).toContain('<Project xmlns="http://schemas.microsoft.com/project">');
        const second = await newProject(`second ${file}`);
        await imported(second, exported.text);
        const [a, b] = [await scheduleOf(first), await scheduleOf(second)];
        expect(b.projectStart).toBe(a.projectStart);
        expect(b.projectFinish).toBe(a.projectFinish);
        expect(b.dependencies).toHaveLength(a.dependencies.length);
        expect(comparable(b.tasks)).toEqual(comparable(a.tasks));
      },
    );
  });

  describe('bad files fail the job with the MSPDI error code, and the schedule stays empty', () => {
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
    ])('rejects %s', async (_label, xml, _status, code) => {
      const projectId = await newProject('bad');
      const job = await importJob(projectId, xml);
      expect({ state: job.state, code: job.error?.code }).toEqual({ state: 'failed', code });
      await expectNoTasks(projectId);
    });

    it('fails a file with more tasks than IMPORT_MAX_TASKS with MSPDI_TOO_MANY_TASKS, storing nothing', async () => {
      const projectId = await newProject('too many');
      const job = await importJob(projectId, chainXml(MAX_TASKS + 1, false));
      expect({ state: job.state, code: job.error?.code }).toEqual({ state: 'failed', code: 'MSPDI_TOO_MANY_TASKS' });
      await expectNoTasks(projectId);
    });

    it('415 for another content type, 413 above the route limit', async () => {
      const projectId = await newProject('limits');
      expect((await importXml(projectId, '{"a":1}', pm, 'application/json').expect(415)).body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      const huge = `<Project xmlns="http://schemas.microsoft.com/project"><!--${'x'.repeat(800 * 1024)}--></Project>`;
      expect((await importXml(projectId, huge).expect(413)).body.code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('a viewer cannot import, another tenant gets 404 (also for the job), an imported schedule cannot be imported over', async () => {
      const projectId = await newProject('guarded');
      const xml = chainXml(1);
      await importXml(projectId, xml, viewer).expect(403);
      await importXml(projectId, xml, outsider).expect(404);
      const job = await imported(projectId, xml);
      await request(planning.url).get(`/projects/${projectId}/schedule/imports/${job.id}`).set('authorization', `Bearer ${outsider}`).expect(404);
      const other = await newProject('other');
      await request(planning.url).get(`/projects/${other}/schedule/imports/${job.id}`).set('authorization', `Bearer ${viewer}`).expect(404);
      const again = await importJob(projectId, xml);
      expect({ state: again.state, code: again.error?.code }).toEqual({ state: 'failed', code: 'SCHEDULE_NOT_EMPTY' });
      expect((await scheduleOf(projectId)).tasks).toHaveLength(1);
      await request(planning.url).get(`/projects/${projectId}/schedule/export`).set('authorization', `Bearer ${outsider}`).expect(404);
    });

    it('a second import of a project while one is queued or running is a 409 JOB_ALREADY_ACTIVE', async () => {
      const projectId = await newProject('twice');
      const first = await importXml(projectId, chainXml(3_000)).expect(202);
      const second = await importXml(projectId, chainXml(1)).expect(409);
      expect(second.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(second.body.code).toBe('JOB_ALREADY_ACTIVE');
      await waitFor(async () => (await request(planning.url).get(first.headers['location']).set('authorization', `Bearer ${pm}`)).body.state === 'succeeded', {
        what: 'the first import succeeded',
        timeoutMs: 60_000,
      });
      expect((await scheduleOf(projectId)).tasks).toHaveLength(3_000);
    });
  });
});
