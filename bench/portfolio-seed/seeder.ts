/*
 * The portfolio seeder (issue 13 point 6): a realistic portfolio built only through the services' HTTP APIs, so that
 * every read model (reporting's portfolio first) comes from real events over the real broker. ADR 0505.
 *
 * Per tenant (once): risk categories (risk service) and a pool of people (resource service).
 * Pass 1, per project (bounded concurrency, BENCH_SEED_CONCURRENCY / --concurrency):
 *   POST /projects (client-chosen id: 409 means an earlier run seeded it, and the project is skipped) →
 *   POST .../schedule/import with the project's MSPDI plan (WBS, links, durations, costs, Baseline 0, progress and
 *   its status date two weeks back; a job, followed to its end) → PUT /projects/{id}/status-date a week later
 *   (planning publishes the earned value at it, outside the import: reporting does not read an import's staged
 *   events, so an import alone leaves the portfolio without schedule figures) →
 *   risks identified and assessed (risk service).
 * Pass 2, once every plan is in (resource service has seen the tasks by then; an unknown task is retried):
 *   assignments of people to work tasks, then the weekly status update one week later: progress on the tasks in
 *   progress and the new status date. Pass 2 happens after pass 1 in recorded time: the instant between them is one at
 *   which every project exists with older figures (an `asOf` a benchmark can ask for; commands cannot back-date
 *   recorded time).
 */
import { performance } from 'node:perf_hooks';
import { Presets, SingleBar } from 'cli-progress';
import { signDevToken } from '@pm/platform/auth';
import { addDays, fridayOnOrBefore, prng, seedOf, seededPlan, stableUuid } from './seed-plan';

export interface SeedUrls {
  readonly planning: string;
  readonly resource: string;
  readonly risk: string;
}

export interface SeedOptions {
  readonly urls: SeedUrls;
  /** Tenant ids; the first holds half the projects (the large PMO), the others share the rest. */
  readonly tenants: readonly string[];
  readonly projects: number;
  readonly tasks: number;
  readonly seed: number;
  readonly concurrency: number;
  /** The weekly status date of pass 2 (a Friday); pass 1 uses the Friday before. */
  readonly statusDate: string;
  readonly progressBar: boolean;
  readonly log: (msg: string) => void;
  readonly aborted?: () => boolean;
  /** Awaited between the passes with the number of projects pass 1 created (a bench waits for its read model there). */
  readonly afterPass1?: (created: number) => Promise<void>;
}

export interface SeedResult {
  readonly seeded: number;
  /** Projects an earlier run with the same seed had created (left as they are). */
  readonly skipped: number;
  readonly tasks: number;
  readonly risks: number;
  readonly assignments: number;
  readonly requests: number;
  /** Import warnings over every plan (parts of a file the import skipped): 0 when every plan imported whole. */
  readonly importWarnings: number;
  readonly pass1Ms: number;
  readonly pass2Ms: number;
  /** An instant after pass 1 ended and before pass 2 began (every project there, with its first status date). */
  readonly betweenPasses: Date;
  readonly projectsByTenant: ReadonlyMap<string, readonly string[]>;
}

export interface SeedProject {
  readonly tenant: string;
  readonly index: number;
  readonly projectId: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const RISK_CATEGORIES = [
  ['technical', 'Technical'],
  ['commercial', 'Commercial and suppliers'],
  ['resourcing', 'People and skills'],
  ['external', 'External and regulatory'],
] as const;
const ROLES = ['Developer', 'Business analyst', 'Architect', 'Tester', 'Project manager', 'DBA', 'Network engineer'];
const RISKS = [
  ['Key supplier delivers late', 'a single supplier holds the hardware', 'the delivery may slip', 'the cut-over moves'],
  ['Specialist leaves the team', 'one person knows the legacy system', 'that person may leave', 'the migration stalls'],
  ['Data quality below expectations', 'the legacy data was never cleansed', 'the load may reject records', 'rework and delay'],
  ['Regulator changes reporting rules', 'a consultation is open', 'the rules may change', 'reports must be rebuilt'],
  ['Integration tests find design flaws', 'interfaces are specified late', 'defects may surface late', 'a redesign sprint'],
  ['Licence costs rise', 'the vendor revises prices yearly', 'the price may rise', 'the budget is exceeded'],
] as const;
const OPPORTUNITIES = [
  ['Vendor offers an early-adopter discount', 'the vendor wants reference customers', 'a discount may be offered', 'lower licence costs'],
  ['Reuse of the group data platform', 'another programme builds one', 'we may reuse it', 'weeks of build saved'],
] as const;

/** Projects of each tenant: the first tenant half of them, the others the rest in turn. */
export function planPortfolio(tenants: readonly string[], projects: number, seed: number): SeedProject[] {
  const out: SeedProject[] = [];
  const first = tenants.length === 1 ? projects : Math.ceil(projects / 2);
  const counts = new Map(tenants.map((t) => [t, 0]));
  for (let i = 0; i < projects; i++) {
    const tenant = i < first ? tenants[0] : tenants[1 + ((i - first) % (tenants.length - 1))];
    const index = counts.get(tenant)!;
    counts.set(tenant, index + 1);
    out.push({ tenant, index, projectId: stableUuid(`${seed}:${tenant}:project:${index}`) });
  }
  return out;
}

class Api {
  requests = 0;
  private readonly tokens = new Map<string, Promise<string>>();

  token(tenant: string): Promise<string> {
    let token = this.tokens.get(tenant);
    if (!token) {
      token = signDevToken({ tenant, sub: 'portfolio-seeder', roles: ['pmo-admin'], email: 'portfolio-seeder@example.invalid', expiresIn: '24h' });
      this.tokens.set(tenant, token);
    }
    return token;
  }

  /** One request; 429 and 503 wait (Retry-After) and go again. The status and the JSON body (or null). */
  async send(tenant: string, base: string, method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; body: Record<string, unknown> | null; location: string | null }> {
    const headers: Record<string, string> = { authorization: `Bearer ${await this.token(tenant)}` };
    if (body !== undefined) headers['content-type'] = contentType;
    for (let attempt = 0; ; attempt++) {
      this.requests++;
      const res = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
      const text = await res.text();
      if ((res.status === 429 || res.status === 503) && attempt < 30) {
        const wait = Number(res.headers.get('retry-after'));
        await sleep(Number.isFinite(wait) && wait > 0 ? Math.min(wait, 10) * 1000 : 500);
        continue;
      }
      let json: Record<string, unknown> | null = null;
      try {
        json = text ? (JSON.parse(text) as Record<string, unknown>) : null;
      } catch {
        json = { text: text.slice(0, 300) };
      }
      return { status: res.status, body: json, location: res.headers.get('location') };
    }
  }

  async expect(tenant: string, base: string, method: string, path: string, ok: readonly number[], body?: unknown, contentType?: string): Promise<{ status: number; body: Record<string, unknown> | null; location: string | null }> {
    const answer = await this.send(tenant, base, method, path, body, contentType);
    if (!ok.includes(answer.status)) throw new Error(`${method} ${path}: HTTP ${answer.status} ${JSON.stringify(answer.body).slice(0, 400)}`);
    return answer;
  }
}

/** Runs `work` over `items` with at most `limit` at a time; stops starting new ones once `aborted()`. */
async function pooled<T>(items: readonly T[], limit: number, aborted: () => boolean, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length && !aborted()) await work(items[next++]);
  });
  await Promise.all(lanes);
}

function progressBar(o: SeedOptions, label: string, total: number): { tick(): void; stop(): void } {
  if (!o.progressBar) {
    let done = 0;
    const started = performance.now();
    return {
      tick: () => {
        done++;
        if (done % Math.max(1, Math.ceil(total / 10)) === 0 || done === total) o.log(`${label}: ${done}/${total} (${((done * 1000) / (performance.now() - started)).toFixed(2)}/s)`);
      },
      stop: () => undefined,
    };
  }
  const bar = new SingleBar(
    { format: `${label} [{bar}] {percentage}% | {value}/{total} projects | {rate}/s | {eta_formatted} left`, stream: process.stderr, hideCursor: true, noTTYOutput: true, notTTYSchedule: 5000 },
    Presets.shades_classic,
  );
  const started = performance.now();
  bar.start(total, 0, { rate: '0.00' });
  let done = 0;
  return {
    tick: () => bar.update(++done, { rate: ((done * 1000) / (performance.now() - started)).toFixed(2) }),
    stop: () => bar.stop(),
  };
}

const mondayOf = (friday: string, weeksBack: number) => addDays(friday, -4 - weeksBack * 7);

interface ProjectPlan {
  readonly project: SeedProject;
  readonly name: string;
  readonly monday: string;
  readonly plan: ReturnType<typeof seededPlan>;
  readonly random: () => number;
}

function projectPlan(o: SeedOptions, project: SeedProject): ProjectPlan {
  const random = prng(seedOf(`${o.seed}:${project.projectId}`));
  const weeksBack = 3 + Math.floor(random() * 27);
  const monday = mondayOf(o.statusDate, weeksBack);
  const pace = 0.85 + random() * 0.27;
  const name = `${['ERP', 'CRM', 'Data platform', 'Network', 'Cloud', 'Security', 'HR system', 'Billing'][project.index % 8]} ${['migration', 'rollout', 'upgrade', 'consolidation', 'replacement'][Math.floor(random() * 5)]} ${project.index + 1}`;
  // The file was saved in Microsoft Project two weeks before the status date of pass 2 (its progress is as of then);
  // the project manager sets the week's status date after the import.
  const plan = seededPlan({ name, monday, statusDate: addDays(o.statusDate, -14), taskCount: o.tasks, pace, random });
  return { project, name, monday, plan, random };
}

/** Follows the import job to its end; the number of warnings (things of the file the import skipped) it reported. */
async function followJob(api: Api, o: SeedOptions, tenant: string, location: string): Promise<number> {
  const deadline = performance.now() + 600_000;
  for (let polls = 0; performance.now() < deadline; polls++) {
    const job = (await api.expect(tenant, o.urls.planning, 'GET', location, [200])).body as { state: string; error: unknown; result: { warnings?: number } | null };
    if (job.state === 'succeeded') return job.result?.warnings ?? 0;
    if (job.state === 'failed' || job.state === 'cancelled') throw new Error(`import ${location} ${job.state}: ${JSON.stringify(job.error)}`);
    await sleep(polls < 20 ? 50 : 250);
  }
  throw new Error(`import ${location} not finished within 10 minutes`);
}

async function seedTenant(api: Api, o: SeedOptions, tenant: string, people: number): Promise<string[]> {
  for (const [categoryId, name] of RISK_CATEGORIES) await api.expect(tenant, o.urls.risk, 'POST', '/risk-settings/categories', [200, 201], { categoryId, name });
  const ids: string[] = [];
  const random = prng(seedOf(`${o.seed}:${tenant}:people`));
  for (let i = 0; i < people; i++) {
    const resourceId = stableUuid(`${o.seed}:${tenant}:person:${i}`);
    const role = ROLES[Math.floor(random() * ROLES.length)];
    await api.expect(tenant, o.urls.resource, 'POST', '/resources/people', [201, 409], { resourceId, name: `Person ${i + 1}`, role, department: `IT ${1 + (i % 4)}` });
    ids.push(resourceId);
  }
  return ids;
}

async function seedProjectPass1(api: Api, o: SeedOptions, p: ProjectPlan): Promise<{ created: boolean; risks: number; warnings: number }> {
  const { tenant, projectId } = p.project;
  const created = await api.expect(tenant, o.urls.planning, 'POST', '/projects', [201, 409], {
    projectId,
    name: p.name,
    code: `P-${String(p.project.index + 1).padStart(4, '0')}`,
    startDate: p.monday,
    priority: (['low', 'medium', 'high', 'critical'] as const)[Math.floor(p.random() * 4)],
    currency: 'EUR',
  });
  if (created.status === 409) return { created: false, risks: 0, warnings: 0 };
  const imported = await api.expect(tenant, o.urls.planning, 'POST', `/projects/${projectId}/schedule/import`, [201, 202], p.plan.xml, 'application/xml');
  const warnings = imported.status === 202 ? await followJob(api, o, tenant, imported.location ?? `/projects/${projectId}/schedule/imports/${String(imported.body?.id)}`) : 0;
  await api.expect(tenant, o.urls.planning, 'PUT', `/projects/${projectId}/status-date`, [200], { statusDate: addDays(o.statusDate, -7) });
  const risks = 1 + Math.floor(p.random() * 6);
  for (let r = 0; r < risks; r++) {
    const riskId = stableUuid(`${o.seed}:${projectId}:risk:${r}`);
    const kind = p.random() < 0.9 ? 'threat' : 'opportunity';
    const statements = kind === 'threat' ? RISKS : OPPORTUNITIES;
    const [title, cause, event, effect] = statements[Math.floor(p.random() * statements.length)];
    await api.expect(tenant, o.urls.risk, 'POST', `/projects/${projectId}/risks`, [200, 201], {
      riskId,
      kind,
      title,
      cause,
      event,
      effect,
      categoryId: RISK_CATEGORIES[Math.floor(p.random() * RISK_CATEGORIES.length)][0],
    });
    // Registers hold mostly low and medium risks: levels skewed towards 1 and 2; a risk touches schedule, cost or both.
    const level = () => 1 + Math.floor(p.random() ** 2.2 * 5);
    const touches = p.random();
    const inherent = {
      ...(touches < 0.7 ? { schedule: { probability: level(), impact: level() } } : {}),
      ...(touches >= 0.4 ? { cost: { probability: level(), impact: level() } } : {}),
    };
    await api.expect(tenant, o.urls.risk, 'POST', `/projects/${projectId}/risks/${riskId}/assessments`, [200, 201], { inherent });
  }
  return { created: true, risks, warnings };
}

/** Resource service learns tasks from planning's events: an assignment to a task it has not seen yet is retried. */
async function assign(api: Api, o: SeedOptions, tenant: string, body: Record<string, unknown>): Promise<void> {
  const deadline = performance.now() + 120_000;
  for (;;) {
    const answer = await api.send(tenant, o.urls.resource, 'POST', '/assignments', body);
    if (answer.status === 201 || answer.status === 200 || answer.status === 409) return;
    if (answer.status >= 500 || performance.now() > deadline || (answer.status !== 404 && answer.status !== 422)) {
      throw new Error(`POST /assignments: HTTP ${answer.status} ${JSON.stringify(answer.body).slice(0, 400)}`);
    }
    await sleep(500);
  }
}

async function seedProjectPass2(api: Api, o: SeedOptions, p: ProjectPlan, people: readonly string[]): Promise<number> {
  const { tenant, projectId } = p.project;
  const work = p.plan.workTaskIds;
  const count = Math.min(work.length, 3 + Math.floor(p.random() * 4));
  for (let a = 0; a < count; a++) {
    const taskId = work[Math.floor((a * work.length) / count)];
    await assign(api, o, tenant, {
      assignmentId: stableUuid(`${o.seed}:${projectId}:assignment:${a}`),
      resourceId: people[Math.floor(p.random() * people.length)],
      projectId,
      taskId,
      load: { kind: 'units', percent: 50 + 10 * Math.floor(p.random() * 6) },
    });
  }
  // The status update: the tasks in progress moved on by the two weeks since the file at the project's pace (up to
  // 99 %; tasks due to start meanwhile are left for the next update), then the status date moves a week.
  for (const task of p.plan.inProgress.slice(0, 6)) {
    const percent = Math.min(99, task.percent + Math.round((p.plan.pace * 1000) / task.duration));
    await api.expect(tenant, o.urls.planning, 'POST', `/projects/${projectId}/schedule/tasks/${task.taskId}/progress`, [200, 201], { percentComplete: percent, asOf: o.statusDate });
  }
  await api.expect(tenant, o.urls.planning, 'PUT', `/projects/${projectId}/status-date`, [200], { statusDate: o.statusDate });
  return count;
}

/** Seeds the portfolio; see the file's comment for what and in which order. */
export async function seedPortfolio(o: SeedOptions): Promise<SeedResult> {
  const aborted = o.aborted ?? (() => false);
  const api = new Api();
  const portfolio = planPortfolio(o.tenants, o.projects, o.seed);
  const projectsByTenant = new Map<string, string[]>(o.tenants.map((t) => [t, []]));
  for (const p of portfolio) projectsByTenant.get(p.tenant)!.push(p.projectId);

  const people = new Map<string, string[]>();
  for (const tenant of o.tenants) {
    const count = Math.min(200, Math.max(5, Math.ceil(projectsByTenant.get(tenant)!.length * 1.5)));
    people.set(tenant, await seedTenant(api, o, tenant, count));
  }

  o.log(`pass 1: ${o.projects} projects of ${o.tasks} tasks over ${o.tenants.length} tenant(s), ${o.concurrency} at a time (project, MSPDI import, status date ${addDays(o.statusDate, -7)}, risks)`);
  const fresh: ProjectPlan[] = [];
  let skipped = 0;
  let risks = 0;
  let tasks = 0;
  let importWarnings = 0;
  const pass1Started = performance.now();
  const bar1 = progressBar(o, 'pass 1', portfolio.length);
  try {
    await pooled(portfolio, o.concurrency, aborted, async (project) => {
      const p = projectPlan(o, project);
      const outcome = await seedProjectPass1(api, o, p);
      if (outcome.created) {
        fresh.push(p);
        risks += outcome.risks;
        importWarnings += outcome.warnings;
        tasks += p.plan.tasks;
      } else skipped++;
      bar1.tick();
    });
  } finally {
    bar1.stop();
  }
  const pass1Ms = performance.now() - pass1Started;
  if (o.afterPass1 && !aborted()) await o.afterPass1(fresh.length);
  const betweenPasses = new Date();
  await sleep(1000);

  o.log(`pass 2: assignments and the weekly status update (status date ${o.statusDate}) of ${fresh.length} project(s)`);
  let assignments = 0;
  const pass2Started = performance.now();
  const bar2 = progressBar(o, 'pass 2', fresh.length);
  try {
    await pooled(fresh, o.concurrency, aborted, async (p) => {
      assignments += await seedProjectPass2(api, o, p, people.get(p.project.tenant)!);
      bar2.tick();
    });
  } finally {
    bar2.stop();
  }
  if (skipped) o.log(`${skipped} project(s) were already there (seeded by an earlier run with seed ${o.seed}) and were left as they are`);
  return { seeded: fresh.length, skipped, tasks, risks, assignments, requests: api.requests, importWarnings, pass1Ms, pass2Ms: performance.now() - pass2Started, betweenPasses, projectsByTenant };
}

/** The default weekly status date: the Friday on or before today (UTC). */
export const defaultStatusDate = (): string => fridayOnOrBefore(new Date().toISOString().slice(0, 10));

