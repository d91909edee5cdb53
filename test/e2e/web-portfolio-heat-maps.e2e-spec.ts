import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import type { Browser, Page } from 'playwright-core';
import { AuthModule } from '@pm/platform/auth';
import { EventStoreModule, createPgPool } from '@pm/platform/event-store';
import { ObservabilityModule } from '@pm/platform/observability';
import type { ProjectionEvent } from '@pm/platform/projections';
import { RateLimitModule } from '@pm/platform/rate-limit';
import { createTestDatabase } from '@pm/platform/testing';
import type { TestDatabase } from '@pm/platform/testing';
import { PortfolioHeatMapsProjection, PortfolioProjection, REPORTING_MIGRATIONS } from '@pm/reporting/data-access';
import { readYourWritesProviders } from '@pm/reporting/feature';
import { PortfolioReportController } from '../../libs/reporting/feature/src/lib/portfolio-report.controller';
import { PortfolioHeatMapsController } from '../../libs/reporting/feature/src/lib/portfolio-heat-maps.controller';
import { HeatMapEventsOf } from '../../libs/reporting/data-access/src/lib/portfolio-heat-maps.test-events';
import { PortfolioEventsOf } from '../../libs/reporting/data-access/src/lib/portfolio.test-events';
import { startService } from './service-harness';
import type { RunningService } from './service-harness';
import { buildWebApp, checkScreen, launchBrowser, openContext, startGateway } from './web-harness';
import type { RunningGateway } from './web-harness';

/** The reporting host's portfolio and heat-map routes, its read model seeded by applying events (no consumer). */
@Module({})
class PortfolioHttpOnly {
  static register(pgUrl: string): DynamicModule {
    return {
      module: PortfolioHttpOnly,
      imports: [ObservabilityModule.forRoot({ serviceName: 'reporting-service' }), AuthModule.forRoot(), EventStoreModule.forRoot({ url: pgUrl, migrations: REPORTING_MIGRATIONS }), RateLimitModule.forRoot({ pgUrl })],
      controllers: [PortfolioReportController, PortfolioHeatMapsController],
      providers: readYourWritesProviders,
    };
  }
}

/**
 * The portfolio screen's heat maps in Chromium through the gateway (ADR 0603): the 5x5 risk matrix now and as of a
 * past instant, its click-through to the risks of a cell, and the utilisation by role per week, on the same history as
 * reporting-heat-maps.e2e-spec.ts.
 */
describe('portfolio heat maps in the browser', () => {
  const tenant = `heat-${randomBytes(4).toString('hex')}`;
  const a = new HeatMapEventsOf(tenant);
  const erp = new PortfolioEventsOf(tenant);
  const [ada, bob, risk1, risk2] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
  const dev = { role: 'Developer', department: 'IT' };
  // Week of 2 March: Ada 2,880 of 2,400 min, Bob 0 of 2,400 → 2,880 / 4,800 = 60 %; week of 9 March: (1,200 + 600) / 4,800 = 37.5 % → 38 %.
  // Two risks at probability 4, impact 4 from 2 March; the second closed on 6 March.
  const history: ProjectionEvent[] = [
    erp.created('2026-03-01T08:00:00.000Z', 'ERP migration'),
    a.utilisation('2026-03-01T09:00:00.000Z', ada, { name: 'Ada', ...dev }, [['2026-03-02', 2400, 2880], ['2026-03-09', 2400, 1200]]),
    a.utilisation('2026-03-01T09:00:01.000Z', bob, { name: 'Bob', ...dev }, [['2026-03-02', 2400, 0], ['2026-03-09', 2400, 600]]),
    a.riskIdentified('2026-03-02T09:00:00.000Z', risk1, erp.projectId, 'Vendor late'),
    a.riskAssessed('2026-03-02T10:00:00.000Z', risk1, erp.projectId, { schedule: [4, 4] }, null, 'high'),
    a.riskIdentified('2026-03-02T09:00:00.000Z', risk2, erp.projectId, 'Data quality'),
    a.riskAssessed('2026-03-02T11:00:00.000Z', risk2, erp.projectId, { quality: [4, 4] }, null, 'high'),
    a.riskStatus('2026-03-06T09:00:00.000Z', risk2, erp.projectId, 'assessed', 'closed'),
  ];
  const ASOF = '2026-03-05T00:00:00.000Z';
  const webRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-web-heat-'));
  let db: TestDatabase;
  let reporting: RunningService;
  let gateway: RunningGateway;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    buildWebApp(webRoot);
    db = await createTestDatabase('e2e_web_heat_maps');
    reporting = await startService('reporting-service', PortfolioHttpOnly.register(db.url));
    const pool = createPgPool(db.url);
    const tx = await pool.connect();
    try {
      const projections = [new PortfolioProjection(), new PortfolioHeatMapsProjection()];
      for (const e of history) for (const p of projections) if (p.handles.includes(e.type)) await p.apply(e, tx);
    } finally {
      tx.release();
      await pool.end();
    }
    const closed = new URL('http://127.0.0.1:9');
    gateway = await startGateway({ upstreams: { reporting: new URL(reporting.url), planning: closed, resource: closed, risk: closed, notification: closed }, webRoot });
    browser = await launchBrowser();
    page = await (await openContext(browser, gateway.url)).newPage();
    const signedIn = await page.request.post('/auth/dev-sign-in', { headers: { 'x-requested-with': 'pm-web', origin: gateway.url }, data: { tenant, role: 'viewer' } });
    expect(signedIn.status()).toBe(200);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    await reporting?.close();
    await db?.drop();
    fs.rmSync(webRoot, { recursive: true, force: true });
  });


  const cell = (p: number, i: number) => page.locator(`table.risk-matrix td[data-probability="${p}"][data-impact="${i}"]`);
  const matrixCounts = () => page.locator('table.risk-matrix td').allTextContents();

  it('counts open risks per cell now: one at probability 4, impact 4 (the other closed on 6 March)', async () => {
    await page.goto('/portfolio');
    await page.getByRole('heading', { name: 'Open risks by probability and impact' }).waitFor();
    await page.locator('table.risk-matrix').waitFor();
    const counts = await matrixCounts();
    expect([counts.length, counts.filter((c) => c !== '0')]).toEqual([25, ['1']]);
    expect(await cell(4, 4).textContent()).toBe('1');
    expect(await page.locator('table.risk-matrix caption').textContent()).toBe('1 open risks');
    // Today is months after the seeded weeks: the window around it holds none.
    await page.getByText(/^No resources with capacity or demand between/).waitFor();
  });

  it('as of 5 March: both risks in the cell, the utilisation by role per week, and the click-through to the risks', async () => {
    await page.goto(`/portfolio?asOf=${encodeURIComponent(ASOF)}`);
    await page.locator('table.utilisation').waitFor();
    await page.getByRole('link', { name: 'ERP migration' }).waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(await cell(4, 4).textContent()).toBe('2');
    expect(await page.locator('table.utilisation thead th').allTextContents()).toEqual(['Role', '03-02', '03-09']);
    expect(await page.locator('table.utilisation tbody tr').first().locator('th, td').allTextContents()).toEqual(['Developer', '60 %', '38 %']);
    expect(await page.locator('table.utilisation caption').textContent()).toContain('2026-02-05 to 2026-04-30');
    await checkScreen(page, 'portfolio-heat-maps');

    await cell(4, 4).getByRole('link', { name: '2 risks at probability 4, impact 4' }).click();
    await page.getByRole('heading', { name: 'Risks at probability 4, impact 4' }).waitFor();
    const url = new URL(page.url());
    expect([url.pathname, url.searchParams.get('probability'), url.searchParams.get('impact'), url.searchParams.get('asOf')]).toEqual(['/portfolio/risks', '4', '4', ASOF]);
    await page.locator('table.portfolio-risks').waitFor();
    expect((await page.locator('table.portfolio-risks tbody th').allTextContents()).sort()).toEqual(['Data quality', 'Vendor late']);
    await checkScreen(page, 'portfolio-risks');
  });
});
