/**
 * Seeds a portfolio into running services (`npm start`) through their HTTP APIs only: projects with Microsoft Project
 * plans (WBS, links, durations, costs, a baseline, progress and status dates), people and assignments, risks with
 * assessments. Deterministic from --seed: a re-run with the same seed skips the projects it already created.
 *
 *   npm run -s seed:portfolio -- --projects 20 --tasks 50 --tenant demo
 *
 * `npm start` runs this with `--if-empty` once the services are ready (unless `--no-demo` or DEMO_PORTFOLIO=0): the demo
 * portfolio goes into tenant demo only while its portfolio has no project. ADR 0505 (and its amendment); the seeder
 * itself is bench/portfolio-seed/seeder.ts (npm run bench:portfolio uses it too).
 */
import { parseArgs } from 'node:util';
import { seedDemoPortfolioIfEmpty } from '../bench/portfolio-seed/demo-portfolio';
import { defaultStatusDate, seedPortfolio } from '../bench/portfolio-seed/seeder';
import type { SeedResult } from '../bench/portfolio-seed/seeder';

/** The exit code of `--if-empty` when the first tenant's portfolio already had a project (nothing was sent). */
const ALREADY_THERE = 3;

const USAGE = `Usage: npm run -s seed:portfolio -- [--projects N] [--tasks T] [--tenant t ...] [--seed S] [--concurrency C]
Options:
  --projects      projects in all (default 20)
  --tasks         tasks per project, summaries and milestones included (default 50, at least 3)
  --tenant        a tenant; repeat for several (default demo); the first gets half the projects
  --seed          PRNG seed (default 1): the same seed gives the same ids, plans and risks
  --concurrency   projects seeded at a time (default 4)
  --status-date   the weekly status date, a Friday (default: the Friday on or before today)
  --if-empty      seed only when the first tenant's portfolio (reporting's GET /portfolio) has no project; when it has
                  one, send nothing and exit with ${ALREADY_THERE} (what npm start does)
Env: PLANNING_URL, RESOURCE_URL, RISK_URL, REPORTING_URL (default http://127.0.0.1:3001, 3002, 3003, 3005);
AUTH_JWT_SECRET as for npm run token.`;

const int = (name: string, raw: string | undefined, fallback: number, min: number): number => {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be a whole number of at least ${min}, not ${raw}`);
  return value;
};

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      projects: { type: 'string' },
      tasks: { type: 'string' },
      tenant: { type: 'string', multiple: true },
      seed: { type: 'string' },
      concurrency: { type: 'string' },
      'status-date': { type: 'string' },
      'if-empty': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stderr.write(`${USAGE}\n`);
    return 0;
  }
  const statusDate = values['status-date'] ?? defaultStatusDate();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(statusDate) || new Date(`${statusDate}T00:00:00Z`).getUTCDay() !== 5) throw new Error(`--status-date must be a Friday (YYYY-MM-DD), not ${statusDate}`);
  const tenants = values.tenant?.length ? values.tenant : ['demo'];
  const log = (msg: string) => process.stderr.write(`[seed:portfolio] ${msg}\n`);
  let interrupted = false;
  process.on('SIGINT', () => {
    log('interrupted: finishing the projects in flight');
    interrupted = true;
  });
  const options = {
    urls: {
      planning: process.env.PLANNING_URL ?? 'http://127.0.0.1:3001',
      resource: process.env.RESOURCE_URL ?? 'http://127.0.0.1:3002',
      risk: process.env.RISK_URL ?? 'http://127.0.0.1:3003',
    },
    tenants,
    projects: int('projects', values.projects, 20, 1),
    tasks: int('tasks', values.tasks, 50, 3),
    seed: int('seed', values.seed, 1, 0),
    concurrency: int('concurrency', values.concurrency, 4, 1),
    statusDate,
    progressBar: true,
    log,
    aborted: () => interrupted,
  };
  let result: SeedResult;
  if (values['if-empty']) {
    const outcome = await seedDemoPortfolioIfEmpty({ ...options, reportingUrl: process.env.REPORTING_URL ?? 'http://127.0.0.1:3005' });
    if (outcome.state === 'already-there') return ALREADY_THERE;
    result = outcome.result;
  } else result = await seedPortfolio(options);
  const seconds = (result.pass1Ms + result.pass2Ms) / 1000;
  log(
    `done: ${result.seeded} project(s) seeded (${result.tasks} tasks, ${result.risks} risks, ${result.assignments} assignments), ${result.skipped} already there; ` +
      `${result.requests} requests in ${seconds.toFixed(1)} s (${(result.seeded / Math.max(seconds, 0.001)).toFixed(2)} projects/s)`,
  );
  log(`tenants: ${tenants.join(', ')} (a token: npm run -s token -- --tenant ${tenants[0]} --role pmo-admin)`);
  return interrupted ? 130 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`[seed:portfolio] ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
