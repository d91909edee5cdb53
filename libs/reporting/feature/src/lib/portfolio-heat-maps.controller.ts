import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Pool } from 'pg';
import { z } from 'zod';
import { AnyRole, CurrentPrincipal } from '@pm/platform/auth';
import type { Principal } from '@pm/platform/auth';
import { PG_POOL } from '@pm/platform/event-store';
import { ApiProblemResponses, ZodQuery, toCsv, zodToOpenApi } from '@pm/platform/http';
import { PortfolioHeatMapQueries } from '@pm/reporting/data-access';
import { riskMatrix, utilisationCell } from '@pm/reporting/domain';
import { portfolioRisksView, riskHeatMapView, utilisationHeatMapView } from './portfolio-heat-maps.openapi';
import { asOfSchema } from './portfolio-report.controller';

/** Days a utilisation heat map may span (two years and a day): at most ~105 weeks or 25 months per row. */
export const MAX_HEAT_MAP_DAYS = 731;
const isoDate = z.iso.date().describe('YYYY-MM-DD');
const format = z.enum(['json', 'csv']).default('json').describe('csv: text/csv (RFC 4180) of the same figures');
const level = z.coerce.number().int().min(1).max(5);

const utilisationQuery = z
  .strictObject({
    by: z.enum(['resource', 'role', 'department']).default('resource'),
    interval: z.enum(['week', 'month']).default('week'),
    from: isoDate,
    to: isoDate,
    asOf: asOfSchema,
    format,
  })
  .refine((q) => q.to >= q.from, { path: ['to'], message: 'to must not be before from' })
  .refine((q) => (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 + 1 <= MAX_HEAT_MAP_DAYS, { path: ['to'], message: `from and to span at most ${MAX_HEAT_MAP_DAYS} days` });
const riskHeatMapQuery = z.strictObject({ projectId: z.uuid().optional(), asOf: asOfSchema, format });
const risksQuery = z.strictObject({
  probability: level.optional(),
  impact: level.optional(),
  projectId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
  asOf: asOfSchema,
  format,
});

interface HeaderWriter {
  setHeader(name: string, value: string): unknown;
}
const csvContent = { 'text/csv': { schema: { type: 'string' as const } } };
const ok = (description: string, schema: z.ZodType) => ApiOkResponse({ description, content: { 'application/json': { schema: zodToOpenApi(schema) }, ...csvContent } });
const asCsv = (res: HeaderWriter, header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | null>>) => {
  res.setHeader('content-type', 'text/csv; charset=utf-8');
  return toCsv(header, rows);
};
const riskHref = (projectId: string | null, riskId: string) => `/projects/${projectId ?? ''}/risks/${riskId}`;

/** The portfolio's heat maps, now or as of any instant (ADR 0502, on ADR 0500's rows valid from / to). */
@ApiTags('portfolio')
@ApiBearerAuth()
@Controller('portfolio')
export class PortfolioHeatMapsController {
  private readonly queries: PortfolioHeatMapQueries;

  constructor(@Inject(PG_POOL) pool: Pool) {
    this.queries = new PortfolioHeatMapQueries(pool);
  }

  @Get('utilisation-heat-map')
  @AnyRole()
  @ApiOperation({
    summary: "Resource utilisation heat map of the caller's tenant: capacity against demand per resource, role or department and week or month (from–to at most 731 days)",
    description: 'The weekly figures the resource service published (ResourceUtilisationChanged); a month sums the weeks whose Thursday falls in it.',
  })
  @ok('Rows of cells, with the event the answer is current to', utilisationHeatMapView)
  @ApiProblemResponses(400)
  async utilisation(@ZodQuery(utilisationQuery) q: z.output<typeof utilisationQuery>, @CurrentPrincipal() p: Principal, @Res({ passthrough: true }) res: HeaderWriter) {
    const asOf = q.asOf ?? null;
    const [groups, currentTo] = await Promise.all([this.queries.utilisation(p.tenantId, asOf, q), this.queries.position(p.tenantId, asOf, 'utilisation')]);
    const cells = groups.map((g) => ({ group: g, cell: { periodStart: g.periodStart, ...utilisationCell(g.capacityMinutes, g.demandMinutes), resources: g.resources, overAllocatedResources: g.overAllocatedResources } }));
    if (q.format === 'csv') {
      return asCsv(
        res,
        [q.by, 'name', 'periodStart', 'capacityHours', 'demandHours', 'utilisationPercent', 'overAllocated', 'resources', 'overAllocatedResources'],
        cells.map(({ group, cell }) => [group.key, group.name, cell.periodStart, cell.capacityHours, cell.demandHours, cell.utilisationPercent, String(cell.overAllocated), cell.resources, cell.overAllocatedResources]),
      );
    }
    const rows: Array<{ key: string | null; name: string | null; kind: string | null; role: string | null; department: string | null; cells: Array<(typeof cells)[number]['cell']> }> = [];
    for (const { group, cell } of cells) {
      const last = rows.at(-1);
      if (last && last.key === group.key) last.cells.push(cell);
      else rows.push({ key: group.key, name: group.name, kind: group.kind, role: group.role, department: group.department, cells: [cell] });
    }
    return { asOf: asOf?.toISOString() ?? null, currentTo, by: q.by, interval: q.interval, from: q.from, to: q.to, rows };
  }

  @Get('risk-heat-map')
  @AnyRole()
  @ApiOperation({ summary: "Open risks of the caller's tenant (or one project) per probability × impact cell of the 5x5 matrix, each cell linking to its risks" })
  @ok('The 25 cells, with the event the answer is current to', riskHeatMapView)
  @ApiProblemResponses(400)
  async riskHeatMap(@ZodQuery(riskHeatMapQuery) q: z.output<typeof riskHeatMapQuery>, @CurrentPrincipal() p: Principal, @Res({ passthrough: true }) res: HeaderWriter) {
    const asOf = q.asOf ?? null;
    const [{ cells, unassessed }, currentTo] = await Promise.all([this.queries.riskCells(p.tenantId, asOf, q.projectId ?? null), this.queries.position(p.tenantId, asOf, 'risk')]);
    const matrix = riskMatrix(cells).map((c) => ({ ...c, risks: `/portfolio/risks?${cellQuery(c.probability, c.impact, q.projectId, asOf)}` }));
    if (q.format === 'csv') return asCsv(res, ['probability', 'impact', 'count'], matrix.map((c) => [c.probability, c.impact, c.count]));
    return { asOf: asOf?.toISOString() ?? null, currentTo, projectId: q.projectId ?? null, openRisks: cells.reduce((n, c) => n + c.count, 0), unassessedOpenRisks: unassessed, cells: matrix };
  }

  @Get('risks')
  @AnyRole()
  @ApiOperation({ summary: "Open risks of the caller's tenant, of one matrix cell and/or project, highest score first: the heat map's click-through" })
  @ok('A page of risks, with the event the answer is current to', portfolioRisksView)
  @ApiProblemResponses(400)
  async risks(@ZodQuery(risksQuery) q: z.output<typeof risksQuery>, @CurrentPrincipal() p: Principal, @Res({ passthrough: true }) res: HeaderWriter) {
    const asOf = q.asOf ?? null;
    const [page, currentTo] = await Promise.all([this.queries.risks(p.tenantId, asOf, q), this.queries.position(p.tenantId, asOf, 'risk')]);
    const items = page.items.map((r) => ({ ...r, href: riskHref(r.projectId, r.riskId) }));
    if (q.format === 'csv') {
      return asCsv(
        res,
        ['riskId', 'projectId', 'projectName', 'title', 'kind', 'rating', 'score', 'probability', 'impact', 'ownerId', 'status', 'href'],
        items.map((r) => [r.riskId, r.projectId, r.projectName, r.title, r.kind, r.rating, r.score, r.probability, r.impact, r.ownerId, r.status, r.href]),
      );
    }
    return { asOf: asOf?.toISOString() ?? null, currentTo, total: page.total, items };
  }
}

function cellQuery(probability: number, impact: number, projectId: string | undefined, asOf: Date | null): string {
  const params = new URLSearchParams({ probability: String(probability), impact: String(impact) });
  if (projectId) params.set('projectId', projectId);
  if (asOf) params.set('asOf', asOf.toISOString());
  return params.toString();
}
