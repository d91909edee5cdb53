/*
 * bench:plan's view of the planning service: create a project, import a plan as a job and wait until the schedule
 * shows it, change a task and wait until the schedule shows the change, and a neighbour tenant that keeps reading
 * its own small plan meanwhile. Visibility is judged by GET /projects/:id/schedule (its ETag is the schedule version),
 * the first page a Gantt chart asks for, so a time "until visible" includes the read that saw it.
 */
import type http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '@pm/platform/workers';
import { call, etagVersion, expectJson } from './rig/http-client';
import type { HttpAnswer } from './rig/http-client';
import type { NeighbourCommand, NeighbourResults, NeighbourWorkerData } from './plan-neighbour.worker';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface PlanningApi {
  readonly port: number;
  readonly agent: http.Agent;
  readonly aborted: () => boolean;
  readonly log: (msg: string) => void;
}

export interface ScheduleTask {
  readonly taskId: string;
  readonly durationDays: number;
  readonly start?: string;
  readonly finish?: string;
}

export interface ScheduleRead {
  readonly answer: HttpAnswer;
  readonly version: number;
  readonly tasks: readonly ScheduleTask[];
}

export async function createProject(api: PlanningApi, token: string, name: string): Promise<string> {
  const answer = await call({ ...api, method: 'POST', path: '/projects', token, json: { name } });
  return expectJson<{ projectId: string }>(answer, 201, 'POST /projects').projectId;
}

/** What a Gantt chart asks for first: one screenful of tasks in WBS order, with its columns only. */
export const FIRST_PAGE = '?limit=100&fields=name,kind,wbsCode,outlineLevel,durationDays,start,finish,critical,percentComplete';

/** GET schedule: the whole plan, or with `query` (e.g. {@link FIRST_PAGE}) a page of it; the version is its ETag. */
export async function readSchedule(api: PlanningApi, token: string, projectId: string, query = ''): Promise<ScheduleRead> {
  const answer = await call({ ...api, method: 'GET', path: `/projects/${projectId}/schedule${query}`, token, timeoutMs: 600_000 });
  if (answer.status === 404) return { answer, version: -1, tasks: [] };
  const body = expectJson<{ tasks: ScheduleTask[] }>(answer, 200, 'GET schedule');
  return { answer, version: etagVersion(answer), tasks: body.tasks };
}

/**
 * The whole plan as a client gets it: one GET when it fits the unpaged answer (at most 5,000 tasks), else page after
 * page of 5,000 following `page.next`. Time and bytes are those of all the pages together.
 */
export async function readWholeSchedule(api: PlanningApi, token: string, projectId: string): Promise<ScheduleRead> {
  const first = await readSchedule(api, token, projectId);
  let next = pageNext(first.answer);
  if (next === null) return first;
  const tasks = [...first.tasks];
  const bodies = [first.answer.body];
  let ms = first.answer.ms;
  while (next !== null) {
    const page = await readSchedule(api, token, projectId, `?limit=5000&after=${encodeURIComponent(next)}`);
    tasks.push(...page.tasks);
    bodies.push(page.answer.body);
    ms += page.answer.ms;
    next = pageNext(page.answer);
  }
  return { answer: { ...first.answer, body: Buffer.concat(bodies), ms }, version: first.version, tasks };
}

function pageNext(answer: HttpAnswer): string | null {
  const page = (JSON.parse(answer.body.toString('utf8')) as { page?: { next: string | null } }).page;
  return page?.next ?? null;
}

/**
 * A small plan built with the ordinary schedule commands (open, add tasks, link): the other tenant's, so that its
 * reads do not depend on the import being measured. Two phases of a summary and nine chained tasks each.
 */
export async function buildSmallPlan(api: PlanningApi, token: string, projectId: string): Promise<number> {
  const post = async (path: string, json: unknown, what: string) => expectJson<unknown>(await call({ ...api, method: 'POST', path: `/projects/${projectId}/schedule${path}`, token, json }), 201, what);
  await post('', { projectStart: '2025-01-06' }, 'POST schedule (open)');
  let tasks = 0;
  for (let phase = 1; phase <= 2; phase++) {
    await post('/tasks', { taskId: `p${phase}`, name: `Phase ${phase}`, kind: 'summary' }, 'POST task');
    tasks++;
    for (let i = 1; i <= 9; i++) {
      await post('/tasks', { taskId: `p${phase}t${i}`, name: `Task ${phase}.${i}`, parentId: `p${phase}`, durationDays: 1 + (i % 4) }, 'POST task');
      tasks++;
      if (i > 1) await post('/dependencies', { predecessorId: `p${phase}t${i - 1}`, successorId: `p${phase}t${i}` }, 'POST dependency');
    }
  }
  return tasks;
}

/** Reads the schedule until `done` says so or the deadline passes; the read that saw it, or null. */
export async function readUntil(
  api: PlanningApi,
  token: string,
  projectId: string,
  deadline: number,
  done: (read: ScheduleRead) => boolean,
  query = '',
): Promise<{ read: ScheduleRead; at: number; reads: number } | null> {
  for (let reads = 1; performance.now() < deadline && !api.aborted(); reads++) {
    const read = await readSchedule(api, token, projectId, query);
    if (done(read)) return { read, at: performance.now(), reads };
    await sleep(read.answer.ms < 50 ? 20 : 100);
  }
  return null;
}

interface JobResource {
  readonly id: string;
  readonly state: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  readonly progress: { readonly done: number; readonly total: number | null; readonly percent: number | null; readonly counters: Record<string, number> };
  readonly result: { readonly version?: number; readonly tasks?: number } | null;
  readonly error: { readonly code?: string; readonly message?: string } | null;
}

export interface ImportOutcome {
  /** POST answered (the upload stored, 202). */
  readonly acceptedAt: number;
  /** The job seen succeeded (polling its Location); the POST's answer when the route still answers synchronously. */
  readonly succeededAt: number;
  readonly version: number;
  readonly jobPolls: number;
  readonly status: number;
}

/**
 * POST the file to .../schedule/import and follow the job at its Location until it succeeds. A route that still
 * imports synchronously (201 with the changes) is accepted too, so that the bench measures whichever is deployed.
 */
export async function importPlan(
  api: PlanningApi,
  token: string,
  projectId: string,
  file: string,
  deadline: number,
  onAnswer: (status: number, at: number) => void = () => undefined,
): Promise<ImportOutcome> {
  const posted = await call({ ...api, method: 'POST', path: `/projects/${projectId}/schedule/import`, token, file: { path: file, contentType: 'application/xml' }, timeoutMs: 600_000 });
  const acceptedAt = performance.now();
  onAnswer(posted.status, acceptedAt);
  if (posted.status === 201) {
    const body = JSON.parse(posted.body.toString('utf8')) as { version?: number };
    return { acceptedAt, succeededAt: acceptedAt, version: body.version ?? etagVersion(posted), jobPolls: 0, status: 201 };
  }
  const accepted = expectJson<JobResource>(posted, 202, 'POST schedule/import');
  const location = String(posted.headers.location ?? `/projects/${projectId}/schedule/imports/${accepted.id}`);
  let lastPercent = -1;
  for (let polls = 1; ; polls++) {
    if (api.aborted()) throw new Error('interrupted');
    if (performance.now() > deadline) throw new Error(`import job ${accepted.id} not finished by the deadline (last progress ${lastPercent}%)`);
    const job = expectJson<JobResource>(await call({ ...api, method: 'GET', path: location, token }), 200, `GET ${location}`);
    if (job.state === 'succeeded') return { acceptedAt, succeededAt: performance.now(), version: job.result?.version ?? -1, jobPolls: polls, status: 202 };
    if (job.state === 'failed' || job.state === 'cancelled') throw new Error(`import job ${job.id} ${job.state}: ${JSON.stringify(job.error)}`);
    const percent = Math.floor(job.progress.percent ?? 0);
    if (percent >= lastPercent + 25) {
      api.log(`  job ${job.state}, ${percent}% (${JSON.stringify(job.progress.counters)})`);
      lastPercent = percent;
    }
    await sleep(polls < 20 ? 25 : 250);
  }
}

/** PATCH one task's duration; the version the change made, and how many tasks its recalculation rescheduled (TaskScheduleChanged). */
export async function changeDuration(api: PlanningApi, token: string, projectId: string, taskId: string, durationDays: number): Promise<{ version: number; moved: number }> {
  const answer = await call({ ...api, method: 'PATCH', path: `/projects/${projectId}/schedule/tasks/${taskId}`, token, json: { durationDays }, timeoutMs: 600_000 });
  const body = expectJson<{ version: number; calculation: Array<{ type: string }> }>(answer, 200, `PATCH task ${taskId}`);
  return { version: body.version ?? etagVersion(answer), moved: body.calculation.filter((e) => e.type === 'TaskScheduleChanged').length };
}

export const NEIGHBOUR_TIMEOUT_MS = 60_000;

/**
 * Another tenant reading its own small plan the whole time: one GET schedule due every `intervalMs` (open loop, so a
 * slow answer does not hide the reads that would have waited behind it: latency counts from the due time), each
 * latency filed under the phase the bench is in. The reads run in a worker thread of their own
 * (plan-neighbour.worker.ts), so that the bench's own pauses (a 400,000-task plan read and kept page by page) are
 * not counted as the service's.
 */
export class NeighbourReader {
  readonly latencies = new Map<string, number[]>();
  readonly failures = new Map<string, number>();
  /** Why reads failed ("HTTP 503", a timeout's message), with how often: printed with the report. */
  readonly failureReasons = new Map<string, number>();
  private current = 'baseline: nothing else running';
  private worker?: Worker;
  private results?: Promise<NeighbourResults | null>;

  constructor(
    private readonly api: PlanningApi,
    private readonly token: string,
    private readonly projectId: string,
    private readonly intervalMs: number,
    /** Reads due while this many are out wait (their latency still counts from their due time). */
    private readonly maxInFlight = 8,
  ) {}

  get phase(): string {
    return this.current;
  }

  set phase(phase: string) {
    this.current = phase;
    this.worker?.postMessage({ phase } satisfies NeighbourCommand);
  }

  start(): void {
    const workerData: NeighbourWorkerData = { port: this.api.port, token: this.token, projectId: this.projectId, intervalMs: this.intervalMs, maxInFlight: this.maxInFlight, timeoutMs: NEIGHBOUR_TIMEOUT_MS, phase: this.current };
    const worker = startWorker(__filename, 'plan-neighbour.worker', { workerData });
    this.worker = worker;
    this.results = new Promise((resolve) => {
      worker.once('message', (results: NeighbourResults) => resolve(results));
      // A failed reader thread loses its reads: said, and the run goes on without them.
      worker.once('error', (error) => {
        this.api.log(`the other tenant's reader thread failed: ${error.message}`);
        resolve(null);
      });
      worker.once('exit', () => resolve(null));
    });
  }

  async stop(): Promise<void> {
    const worker = this.worker;
    if (!worker || !this.results) return;
    this.worker = undefined;
    worker.postMessage({ stop: true } satisfies NeighbourCommand);
    // After an interrupt nobody waits for the reads still out.
    if (this.api.aborted()) await worker.terminate();
    const results = await this.results;
    await worker.terminate();
    if (!results) return;
    for (const [phase, list] of results.latencies) this.latencies.set(phase, [...(this.latencies.get(phase) ?? []), ...list]);
    for (const [phase, n] of results.failures) this.failures.set(phase, (this.failures.get(phase) ?? 0) + n);
    for (const [reason, n] of results.failureReasons) this.failureReasons.set(reason, (this.failureReasons.get(reason) ?? 0) + n);
  }
}
