/*
 * The demo portfolio of `npm start` (issue 14: "a newcomer sees real data on the first screen"; ADR 0505 amendment):
 * seeded into a tenant only while that tenant's portfolio has no project, so a later start leaves what is there (the
 * demo portfolio, or anything a person made in tenant demo since) alone. Whether there is a project is asked the way
 * the dashboard asks it, reporting's `GET /portfolio`, never a database.
 */
import { signDevToken } from '@pm/platform/auth';
import { seedPortfolio } from './seeder';
import type { SeedOptions, SeedResult } from './seeder';

export type DemoPortfolioOutcome = { readonly state: 'already-there' } | { readonly state: 'seeded'; readonly result: SeedResult };

/** True when the tenant's portfolio (reporting's read model) holds at least one project. */
export async function portfolioHasProjects(reportingUrl: string, tenant: string): Promise<boolean> {
  const token = await signDevToken({ tenant, sub: 'portfolio-seeder', roles: ['viewer'], email: 'portfolio-seeder@example.invalid' });
  const res = await fetch(`${reportingUrl}/portfolio?limit=1`, { headers: { authorization: `Bearer ${token}` } });
  const text = await res.text();
  if (!res.ok) throw new Error(`GET ${reportingUrl}/portfolio answered ${res.status}: ${text.slice(0, 300)}`);
  const body = JSON.parse(text) as { items?: unknown };
  if (!Array.isArray(body.items)) throw new Error(`GET ${reportingUrl}/portfolio answered without items: ${text.slice(0, 300)}`);
  return body.items.length > 0;
}

/** Seeds `o.tenants[0]` (with the others) when its portfolio is empty; otherwise sends nothing else. */
export async function seedDemoPortfolioIfEmpty(o: SeedOptions & { readonly reportingUrl: string }): Promise<DemoPortfolioOutcome> {
  const tenant = o.tenants[0];
  if (await portfolioHasProjects(o.reportingUrl, tenant)) {
    o.log(`tenant ${tenant} already has projects in its portfolio: left as it is, nothing seeded`);
    return { state: 'already-there' };
  }
  return { state: 'seeded', result: await seedPortfolio(o) };
}
