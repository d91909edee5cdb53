import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { AppModule as PlanningApp } from '../../apps/planning-service/src/app.module';
import { signDevToken } from '@pm/platform/auth';
import { createTestDatabase } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { eventsMatchTheirContracts } from './planning-contract-check';
import { startService } from './service-harness';
import type { RunningService } from './service-harness';

/**
 * The tenant default calendar (ADR 0104): schedules opened without a calendar run on it and follow its
 * changes; a project with its own calendar, or one that declared its own holiday, keeps it.
 * 2025-09-01 is a Monday; a five-day task finishes Friday on Mon–Fri and the next Monday on Mon–Thu.
 */
describe('Planning tenant calendar', () => {
  let db: TestDatabase;
  let planning: RunningService;
  const tenant = `tenant-${randomBytes(4).toString('hex')}`;
  let admin: string;
  let pm: string;
  let outsider: string;
  const fourDayWeek = { name: 'Four-day week', workingWeekdays: [1, 2, 3, 4], hoursPerDay: 9, holidays: [], exceptions: [] };

  const call = (token: string) => ({
    get: (path: string) => request(planning.url).get(path).set('authorization', `Bearer ${token}`),
    post: (path: string, body?: object) => request(planning.url).post(path).set('authorization', `Bearer ${token}`).send(body).expect(eventsMatchTheirContracts),
    put: (path: string, body?: object) => request(planning.url).put(path).set('authorization', `Bearer ${token}`).send(body),
  });
  async function projectWithTask(name: string, schedule: object = {}): Promise<string> {
    const { projectId } = (await call(pm).post('/projects', { name, startDate: '2025-09-01' }).expect(201)).body;
    await call(pm).post(`/projects/${projectId}/schedule`, schedule).expect(201);
    await call(pm).post(`/projects/${projectId}/schedule/tasks`, { taskId: 'work', name: 'Work', durationDays: 5 }).expect(201);
    return projectId;
  }
  const finishOf = async (projectId: string): Promise<string> =>
    (await call(pm).get(`/projects/${projectId}/schedule`).expect(200)).body.tasks.find((t: { taskId: string }) => t.taskId === 'work').finish;

  beforeAll(async () => {
    db = await createTestDatabase('e2e_planning_tenant_calendar');
    planning = await startService('planning-service', PlanningApp.register({ pgUrl: db.url }));
    admin = await signDevToken({ tenant, roles: ['pmo-admin'], sub: 'admin-1' });
    pm = await signDevToken({ tenant, roles: ['project-manager'], sub: 'pm-1' });
    outsider = await signDevToken({ tenant: `${tenant}-other`, roles: ['pmo-admin'], sub: 'admin-2' });
  }, 120_000);

  afterAll(async () => {
    await planning?.close();
    await db?.drop();
  });

  it('is the built-in Mon–Fri 8 h calendar until a pmo-admin sets one', async () => {
    const res = await call(pm).get('/calendars/default').expect(200);
    expect(res.body).toMatchObject({ source: 'built-in', version: 0, calendar: { calendarId: 'tenant-default', workingWeekdays: [1, 2, 3, 4, 5], hoursPerDay: 8 } });
  });

  it('may be set by a pmo-admin only, with a valid body', async () => {
    expect((await call(pm).put('/calendars/default', fourDayWeek).expect(403)).headers['content-type']).toMatch(/problem\+json/);
    for (const bad of [{ ...fourDayWeek, workingWeekdays: [] }, { ...fourDayWeek, calendarId: 'x' }, { ...fourDayWeek, hoursPerDay: 25 }, {}]) {
      const res = await call(admin).put('/calendars/default', bad).expect(400);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    }
  });

  it('moves the schedules that follow it, and only those, when it changes', async () => {
    const following = await projectWithTask('Follows the default');
    const own = await projectWithTask('Own calendar', { calendar: { calendarId: 'plant-3', name: 'Plant 3', workingWeekdays: [1, 2, 3, 4, 5], hoursPerDay: 8 } });
    const withHoliday = await projectWithTask('Own holiday');
    const holiday = await call(pm).post(`/projects/${withHoliday}/schedule/calendar/holidays`, { date: '2025-12-24', name: 'Plant closed' }).expect(201);
    expect(holiday.body.changes.map((e: { type: string }) => e.type)).toEqual(['WorkingCalendarDefined', 'HolidayDeclared']);
    for (const projectId of [following, own, withHoliday]) expect(await finishOf(projectId)).toBe('2025-09-05');

    const set = await call(admin).put('/calendars/default', fourDayWeek).expect(200);
    expect(set.body).toMatchObject({ source: 'set', version: 1, calendar: { calendarId: 'tenant-default', name: 'Four-day week', workingWeekdays: [1, 2, 3, 4] } });
    expect(set.body.changes).toEqual([expect.objectContaining({ type: 'DefaultCalendarSet' })]);
    expect(set.body.schedules).toEqual([expect.objectContaining({ projectId: following })]);

    expect(await finishOf(following)).toBe('2025-09-08');
    expect(await finishOf(own)).toBe('2025-09-05');
    expect(await finishOf(withHoliday)).toBe('2025-09-05');
    expect((await call(pm).get('/calendars/default').expect(200)).body).toMatchObject({ source: 'set', calendar: { workingWeekdays: [1, 2, 3, 4] } });
  });

  it('is what a schedule opened later runs on', async () => {
    expect(await finishOf(await projectWithTask('Opened after the change'))).toBe('2025-09-08');
  });

  it('does nothing when set again the same way', async () => {
    const again = await call(admin).put('/calendars/default', fourDayWeek).expect(200);
    expect(again.body).toMatchObject({ version: 1, changes: [], schedules: [] });
  });

  it('is per tenant', async () => {
    expect((await call(outsider).get('/calendars/default').expect(200)).body).toMatchObject({ source: 'built-in', calendar: { workingWeekdays: [1, 2, 3, 4, 5] } });
  });
});
