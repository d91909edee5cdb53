import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Pool } from 'pg';
import { z } from 'zod';
import { AnyRole, CurrentPrincipal } from '@pm/platform/auth';
import type { Principal } from '@pm/platform/auth';
import { PG_POOL } from '@pm/platform/event-store';
import { ApiProblemResponses, ProblemException, ZodParam, ZodQuery, toCsv } from '@pm/platform/http';
import { PortfolioCurveQueries, PortfolioQueries } from '@pm/reporting/data-access';
import type { PortfolioPosition } from '@pm/reporting/data-access';
import { CURVE_INTERVALS, answerInterval, milestoneTrend, portfolioSCurves, projectSCurve } from '@pm/reporting/domain';
import { CSV_HEADERS, jsonOrCsv, milestoneTrendView, portfolioSCurveView, projectSCurveView } from './portfolio-curves.openapi';
import { asOfSchema } from './portfolio-report.controller';

const format = z.enum(['json', 'csv']).default('json').describe('csv: the same rows as CSV');
const curveQuery = z.strictObject({
  interval: z.enum(CURVE_INTERVALS).default('week').describe('week: ISO weeks ending on Sunday; month: calendar months'),
  asOf: asOfSchema,
  format,
});
type CurveQuery = z.output<typeof curveQuery>;
const trendQuery = z.strictObject({ asOf: asOfSchema, format });
type TrendQuery = z.output<typeof trendQuery>;

const S_CURVE_CSV = ['periodEnd', 'currency', 'pv', 'ev', 'ac', 'statusDate'];
const PORTFOLIO_CSV = ['currency', 'periodEnd', 'pv', 'ev', 'ac', 'measuredProjects'];
const TREND_CSV = ['statusDate', 'taskId', 'name', 'baselineFinish', 'forecastFinish', 'slipDays', 'achieved'];

interface HeaderWriter {
  setHeader(name: string, value: string): unknown;
}

/** CSV carries asOf and currentTo in headers, the rows in the body. */
function csv(res: HeaderWriter, asOf: Date | null, currentTo: PortfolioPosition | null, header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | null>>): string {
  res.setHeader('content-type', 'text/csv; charset=utf-8');
  if (asOf) res.setHeader('x-as-of', asOf.toISOString());
  if (currentTo) res.setHeader('x-current-to', `${currentTo.eventId};streamVersion=${currentTo.streamVersion};recordedAt=${currentTo.recordedAt}`);
  return toCsv(header, rows);
}

function notFound(projectId: string, asOf: Date | null): ProblemException {
  return new ProblemException({
    status: 404,
    code: 'PROJECT_NOT_FOUND',
    detail: asOf ? `Project ${projectId} did not exist in the portfolio at ${asOf.toISOString()}` : `Project ${projectId} is not in the portfolio`,
    details: { projectId },
  });
}

/** EVM S-curves and milestone trends, now or as of any instant (ADR 0501 on the read model of ADR 0500). */
@ApiTags('portfolio')
@ApiBearerAuth()
@Controller()
export class PortfolioCurvesController {
  private readonly curves: PortfolioCurveQueries;
  private readonly portfolio: PortfolioQueries;

  constructor(@Inject(PG_POOL) pool: Pool) {
    this.curves = new PortfolioCurveQueries(pool);
    this.portfolio = new PortfolioQueries(pool);
  }

  @Get('projects/:projectId/s-curve')
  @AnyRole()
  @ApiOperation({ summary: "A project's EVM S-curve: cumulative PV (its baseline), EV and AC (at each status date) per week or month, now or as of an instant" })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ description: 'The curve, with the event the answer is current to', content: jsonOrCsv(projectSCurveView, S_CURVE_CSV), headers: CSV_HEADERS })
  @ApiProblemResponses(404)
  async projectSCurve(
    @ZodParam('projectId', z.uuid()) projectId: string,
    @ZodQuery(curveQuery) query: CurveQuery,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: HeaderWriter,
  ) {
    const asOf = query.asOf ?? null;
    const [facts, figures, currentTo] = await Promise.all([
      this.curves.curve(principal.tenantId, projectId, asOf),
      this.curves.figures(principal.tenantId, projectId, asOf),
      this.portfolio.position(principal.tenantId, asOf),
    ]);
    if (!facts) throw notFound(projectId, asOf);
    const curve = projectSCurve(facts.curve, figures.get(projectId) ?? [], answerInterval(query.interval, [facts.curve]));
    if (query.format === 'csv') return csv(res, asOf, currentTo, S_CURVE_CSV, curve.points.map((p) => [p.periodEnd, facts.currency, p.pv, p.ev, p.ac, p.statusDate]));
    return { asOf: asOf?.toISOString() ?? null, currentTo, projectId, currency: facts.currency, ...curve };
  }

  @Get('portfolio/s-curve')
  @AnyRole()
  @ApiOperation({ summary: "The portfolio's EVM S-curves: its projects' cumulative PV, EV and AC summed per currency, per week or month, now or as of an instant" })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ description: 'One curve per currency, with the event the answer is current to', content: jsonOrCsv(portfolioSCurveView, PORTFOLIO_CSV), headers: CSV_HEADERS })
  async portfolioSCurve(@ZodQuery(curveQuery) query: CurveQuery, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) res: HeaderWriter) {
    const asOf = query.asOf ?? null;
    const [projects, currentTo] = await Promise.all([this.curves.portfolio(principal.tenantId, asOf), this.portfolio.position(principal.tenantId, asOf)]);
    const interval = answerInterval(query.interval, projects.map((p) => p.curve));
    const { curves, truncated } = portfolioSCurves(projects, interval);
    if (query.format === 'csv') {
      return csv(res, asOf, currentTo, PORTFOLIO_CSV, curves.flatMap((c) => c.points.map((p) => [c.currency, p.periodEnd, p.pv, p.ev, p.ac, p.measuredProjects])));
    }
    return { asOf: asOf?.toISOString() ?? null, currentTo, interval, truncated, curves };
  }

  @Get('projects/:projectId/milestone-trend')
  @AnyRole()
  @ApiOperation({ summary: "A project's milestone trend: each milestone's forecast finish at each status date, now or as of an instant" })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ description: 'The trend, with the event the answer is current to', content: jsonOrCsv(milestoneTrendView, TREND_CSV), headers: CSV_HEADERS })
  @ApiProblemResponses(404)
  async milestoneTrend(
    @ZodParam('projectId', z.uuid()) projectId: string,
    @ZodQuery(trendQuery) query: TrendQuery,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: HeaderWriter,
  ) {
    const asOf = query.asOf ?? null;
    const [facts, { history, truncated }, currentTo] = await Promise.all([
      this.curves.curve(principal.tenantId, projectId, asOf),
      this.curves.milestones(principal.tenantId, projectId, asOf),
      this.portfolio.position(principal.tenantId, asOf),
    ]);
    if (!facts) throw notFound(projectId, asOf);
    const trend = milestoneTrend(history);
    if (query.format === 'csv') {
      const rows = trend.milestones.flatMap((m) => m.forecasts.map((f) => [f.statusDate, m.taskId, m.name, m.baselineFinish, f.forecastFinish, f.slipDays, String(f.achieved)]));
      return csv(res, asOf, currentTo, TREND_CSV, rows);
    }
    return { asOf: asOf?.toISOString() ?? null, currentTo, projectId, truncated, ...trend };
  }
}
