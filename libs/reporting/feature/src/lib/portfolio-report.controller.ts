import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Pool } from 'pg';
import { z } from 'zod';
import { AnyRole, CurrentPrincipal } from '@pm/platform/auth';
import type { Principal } from '@pm/platform/auth';
import { PG_POOL } from '@pm/platform/event-store';
import { ApiProblemResponses, ApiSuccessBody, ProblemException, ZodParam, ZodQuery, zodToOpenApi } from '@pm/platform/http';
import { HealthRulesStore, PortfolioQueries } from '@pm/reporting/data-access';
import type { PortfolioPosition } from '@pm/reporting/data-access';
import { PORTFOLIO_SORTS, portfolioPage } from '@pm/reporting/domain';
import { decodeCursor, encodeCursor } from './portfolio-cursor';
import { portfolioPageView, portfolioProjectPageView } from './portfolio-report.openapi';
import { portfolioProjectView } from './portfolio-report.view';
import type { PortfolioProjectView } from './portfolio-report.view';
import { ApiReadYourWrites, ReadYourWrites, readYourWritesQuery } from './read-your-writes';

const AS_OF_DOC =
  'An instant (ISO-8601 with Z or an offset): answer from every event whose recorded time is at or before it. The recorded time ' +
  "is the CloudEvents `time`: the clock of the producing service's PostgreSQL when its event store inserted the event, inside the " +
  'transaction that committed it; not when the command was decided (`occurredat`), and not a date in its content: facts ' +
  'back-dated by their content (figures at an earlier status date) count from when they were recorded. Within one stream recorded ' +
  'times never run backwards: an event stamped before the one it follows (a database clock stepped back) counts from that one. ' +
  "Clock skew between services: each recorded time is its own service's database clock; the deployment keeps those clocks " +
  'NTP-synchronised within 1 s, so an answer may include an event another service recorded up to 1 s after the instant, or miss ' +
  'one recorded up to 1 s before it (ADR 0506). An instant in the last seconds may later be answered with more: events reach ' +
  'reporting after their commit (`currentTo` says how far the answer goes; `waitFor` waits for a stream version). Omitted: now.';

export const asOfSchema = z.iso
  .datetime({ offset: true })
  .refine((s) => {
    const t = Date.parse(s);
    return Number.isFinite(t) && t >= 0 && t <= Date.parse('9999-12-31T23:59:59.999Z');
  }, 'an instant between 1970 and 9999')
  .transform((s) => new Date(s))
  .optional()
  .describe(AS_OF_DOC);

const portfolioQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(1000).regex(/^[A-Za-z0-9_-]+$/).optional().describe('`next` of the previous page'),
  status: z.enum(['initiating', 'planning', 'executing', 'closing', 'closed', 'on-hold', 'cancelled']).optional(),
  health: z.enum(['green', 'amber', 'red', 'unknown']).optional().describe('Overall health'),
  sort: z.enum(PORTFOLIO_SORTS).default('name').describe('name A-Z; health worst first; spi, cpi lowest first; finish earliest first; missing figures last'),
  asOf: asOfSchema,
  ...readYourWritesQuery,
});
type PortfolioQuery = z.output<typeof portfolioQuerySchema>;
const projectQuerySchema = z.strictObject({ asOf: asOfSchema, ...readYourWritesQuery });
type ProjectQuery = z.output<typeof projectQuerySchema>;

export interface PortfolioPageView {
  readonly asOf: string | null;
  /** The last event the answer includes; null while the tenant's portfolio has none. */
  readonly currentTo: PortfolioPosition | null;
  readonly items: readonly PortfolioProjectView[];
  readonly next: string | null;
}
export interface PortfolioProjectPage {
  readonly asOf: string | null;
  readonly currentTo: PortfolioPosition | null;
  readonly project: PortfolioProjectView;
}

/** The portfolio report: every project's figures and health, now or as of any instant (ADR 0500). */
@ApiTags('portfolio')
@ApiBearerAuth()
@Controller()
export class PortfolioReportController {
  private readonly queries: PortfolioQueries;
  private readonly rules: HealthRulesStore;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly readYourWrites: ReadYourWrites,
  ) {
    this.queries = new PortfolioQueries(pool);
    this.rules = new HealthRulesStore(pool);
  }

  @Get('portfolio')
  @AnyRole()
  @ApiOperation({ summary: "The caller's tenant's portfolio: each project's phase, schedule, earned value, risk and RAG health with its reasons" })
  @ApiOkResponse({ description: 'A page of projects, with the event the answer is current to' })
  @ApiSuccessBody(zodToOpenApi(portfolioPageView))
  @ApiReadYourWrites()
  async portfolio(@ZodQuery(portfolioQuerySchema) query: PortfolioQuery, @CurrentPrincipal() principal: Principal): Promise<PortfolioPageView> {
    const after = query.cursor ? decodeCursor(query.cursor, query.sort) : null;
    await this.readYourWrites.awaitApplied(principal.tenantId, query);
    const asOf = query.asOf ?? null;
    const rules = await this.rules.inForce(principal.tenantId, asOf);
    // One snapshot: health, filters and sort over the whole portfolio from the lean rows, then only the page's rows in full.
    return PortfolioQueries.snapshot(this.pool, async (queries) => {
      const views = (await queries.all(principal.tenantId, asOf, { lean: true }))
        .map((f) => portfolioProjectView(f, rules.rules))
        .filter((v) => (query.status === undefined || v.status === query.status) && (query.health === undefined || v.overall === query.health));
      const page = portfolioPage(views, query.sort, query.limit, after);
      const full = new Map((await queries.some(principal.tenantId, page.items.map((v) => v.projectId), asOf)).map((f) => [f.projectId, f]));
      const items = page.items.map((v) => {
        const f = full.get(v.projectId);
        return f ? portfolioProjectView(f, rules.rules) : v;
      });
      const currentTo = await queries.position(principal.tenantId, asOf);
      return { asOf: asOf?.toISOString() ?? null, currentTo, items, next: page.next ? encodeCursor(page.next) : null };
    });
  }

  @Get('projects/:projectId')
  @AnyRole()
  @ApiOperation({ summary: "One project of the caller's tenant as the portfolio shows it, now or as of an instant" })
  @ApiOkResponse({ description: 'The project, with the event the answer is current to' })
  @ApiSuccessBody(zodToOpenApi(portfolioProjectPageView))
  @ApiProblemResponses(404)
  @ApiReadYourWrites()
  async project(
    @ZodParam('projectId', z.uuid()) projectId: string,
    @ZodQuery(projectQuerySchema) query: ProjectQuery,
    @CurrentPrincipal() principal: Principal,
  ): Promise<PortfolioProjectPage> {
    await this.readYourWrites.awaitApplied(principal.tenantId, query);
    const asOf = query.asOf ?? null;
    const [facts, currentTo, rules] = await Promise.all([
      this.queries.one(principal.tenantId, projectId, asOf),
      this.queries.position(principal.tenantId, asOf),
      this.rules.inForce(principal.tenantId, asOf),
    ]);
    if (!facts) {
      throw new ProblemException({
        status: 404,
        code: 'PROJECT_NOT_FOUND',
        detail: asOf ? `Project ${projectId} did not exist in the portfolio at ${asOf.toISOString()}` : `Project ${projectId} is not in the portfolio`,
        details: { projectId },
      });
    }
    return { asOf: asOf?.toISOString() ?? null, currentTo, project: portfolioProjectView(facts, rules.rules) };
  }
}
