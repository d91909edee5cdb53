// First: the services below read the topic names when they load (own-topics renames them for this file, so their
// fresh consumer groups read this spec's events only, not every earlier spec's history from offset 0).
import { ownTopics } from './own-topics';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { AppModule as PlanningApp } from '../../apps/planning-service/src/app.module';
import { AppModule as ReportingApp } from '../../apps/reporting-service/src/app.module';
import { TOPICS } from '@pm/contracts';
import { REPORTING_TOPICS } from '@pm/reporting/feature';
import { signDevToken } from '@pm/platform/auth';
import { createTestDatabase, waitFor } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { startService } from './service-harness';
import type { RunningService } from './service-harness';

let topics: { remove(): Promise<void> } | undefined;

interface Partition {
  topic: string;
  partition: number;
  committedOffset: string | null;
  highWatermark: string;
  lag: number;
  lastApplied: { offset: string; eventTime: string | null } | null;
}

/**
 * Planning → Kafka → reporting on the real broker: a command's returned version is what the dashboard waits for,
 * and the operator sees the consumer's lag per partition.
 */
describe('Freshness of the portfolio: read-your-writes after a planning command, consumer lag (real broker)', () => {
  let planningDb: TestDatabase;
  let reportingDb: TestDatabase;
  let planning: RunningService;
  let reporting: RunningService;
  const tenant = `tenant-${randomBytes(4).toString('hex')}`;
  const group = `reporting-e2e-${randomBytes(4).toString('hex')}`;
  let pm: string;
  let viewer: string;
  let admin: string;
  let outsider: string;

  const createProject = async (name: string) => {
    const res = await request(planning.url).post('/projects').set('authorization', `Bearer ${pm}`).send({ name }).expect(201);
    return { projectId: res.body.projectId as string, version: res.body.version as number };
  };
  const fromReporting = (path: string, token = viewer) => request(reporting.url).get(path).set('authorization', `Bearer ${token}`);

  beforeAll(async () => {
    topics = await ownTopics();
    planningDb = await createTestDatabase('e2e_fresh_planning');
    reportingDb = await createTestDatabase('e2e_fresh_reporting');
    planning = await startService('planning-service', PlanningApp.register({ pgUrl: planningDb.url }));
    reporting = await startService('reporting-service', ReportingApp.register({ pgUrl: reportingDb.url, consumerGroupId: group }));
    pm = await signDevToken({ tenant, roles: ['project-manager'], sub: 'pm-1' });
    viewer = await signDevToken({ tenant, roles: ['viewer'], sub: 'viewer-1' });
    admin = await signDevToken({ tenant, roles: ['pmo-admin'], sub: 'admin-1' });
    outsider = await signDevToken({ tenant: `${tenant}-other`, roles: ['pmo-admin'], sub: 'admin-2' });
    // The new group reads both topics from offset 0: wait until it has caught up with a first project of ours.
    const warmUp = await createProject('Warm-up');
    await waitFor(async () => (await fromReporting(`/projects/${warmUp.projectId}`)).status === 200 || undefined, {
      timeoutMs: 60_000,
      what: 'the reporting consumer to catch up',
    });
  }, 120_000);

  afterAll(async () => {
    await reporting?.close();
    await planning?.close();
    await reportingDb?.drop();
    await planningDb?.drop();
    await topics?.remove();
  });

  it("reads its own write: the portfolio answers once it has applied the command's stream version", async () => {
    const { projectId, version } = await createProject('CRM rollout');
    expect(version).toBe(1);
    const stream = `project:${tenant}:${projectId}`;
    const page = await fromReporting(`/projects/${projectId}?waitFor=${encodeURIComponent(`${stream}@${version}`)}&waitTimeoutMs=10000`).expect(200);
    expect(page.body.project).toMatchObject({ projectId, name: 'CRM rollout', status: 'initiating' });
    const portfolio = await fromReporting(`/portfolio?waitFor=${encodeURIComponent(`${stream}@${version}`)}`).expect(200);
    expect(portfolio.body.items.map((p: { name: string }) => p.name)).toEqual(['CRM rollout', 'Warm-up']);
  });

  it('answers 409 READ_MODEL_BEHIND within the timeout for a version the stream never reaches', async () => {
    const { projectId } = await createProject('Never version 7');
    const stream = `project:${tenant}:${projectId}`;
    const started = Date.now();
    const res = await fromReporting(`/portfolio?waitFor=${encodeURIComponent(`${stream}@7`)}&waitTimeoutMs=1500`).expect(409);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.body).toMatchObject({ code: 'READ_MODEL_BEHIND', details: { behind: [{ streamId: stream, version: 7 }] } });
    expect([null, 1]).toContain(res.body.details.behind[0].appliedVersion);
  });

  it("refuses another tenant's stream with 403, whether or not it exists", async () => {
    const { projectId } = await createProject('Ours, not theirs');
    const res = await fromReporting(`/portfolio?waitFor=${encodeURIComponent(`project:${tenant}:${projectId}@1`)}`, outsider).expect(403);
    expect(res.body).toMatchObject({ code: 'WAIT_FOR_OTHER_TENANT' });
  });

  it('shows a PMO admin the lag and the last applied event per topic and partition; other roles may not see it', async () => {
    const fresh = await waitFor(
      async () => {
        const body = (await fromReporting('/reporting/freshness', admin).expect(200)).body as { groupId: string; partitions: Partition[] };
        return body.partitions.some((p) => p.lastApplied !== null) ? body : undefined;
      },
      { timeoutMs: 15_000, what: 'a partition with a last applied event' },
    );
    expect(fresh.groupId).toBe(group);
    expect(new Set(fresh.partitions.map((p) => p.topic))).toEqual(new Set(REPORTING_TOPICS));
    for (const p of fresh.partitions) {
      const committed = p.committedOffset === null ? 0n : BigInt(p.committedOffset);
      expect(p.lag).toBeGreaterThanOrEqual(0);
      expect(BigInt(p.highWatermark)).toBeGreaterThanOrEqual(committed);
    }
    const applied = fresh.partitions.filter((p) => p.lastApplied !== null);
    expect(applied.every((p) => p.lastApplied?.eventTime && !Number.isNaN(Date.parse(p.lastApplied.eventTime)))).toBe(true);
    for (const token of [viewer, pm, await signDevToken({ tenant, roles: ['team-member', 'resource-manager'], sub: 'tm-1' })]) {
      const res = await fromReporting('/reporting/freshness', token).expect(403);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    await request(reporting.url).get('/reporting/freshness').expect(401);
    await fromReporting('/reporting/freshness?x=1', admin).expect(200);
  });

  it('exports the group lag per topic and partition on /metrics', async () => {
    const metrics = (await request(reporting.url).get('/metrics').expect(200)).text;
    const line = new RegExp(`pm_consumer_group_lag_messages\\{group="${group}",topic="${TOPICS.planning.replace(/\./g, '\\.')}",partition="\\d+"[^}]*\\} \\d+`);
    expect(metrics).toMatch(line);
  });
});
