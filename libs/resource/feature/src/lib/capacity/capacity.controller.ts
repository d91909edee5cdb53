import { Controller, Get, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { AnyRole, CurrentPrincipal } from '@pm/platform/auth';
import type { Principal } from '@pm/platform/auth';
import { ZodQuery, toCsv } from '@pm/platform/http';
import { ResourceReadQueries, UtilisationQueries } from '@pm/resource/data-access';
import { bucketise, dayRange, periodsOf, searchSkills } from '@pm/resource/domain';
import type { PeriodFigures } from '@pm/resource/domain';
import { isoDate } from '../shared/request-schemas';
import { CapacityCalculator } from './capacity.calculator';
import { hours } from './csv';

const range = { from: isoDate, to: isoDate };
/** Days a capacity, utilisation or skill query may span (five years): the work is per day and resource (400 beyond). */
export const MAX_QUERY_DAYS = 1_827;
const spanDays = (q: { from: string; to: string }) => (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 + 1;
const withinCap: [(q: { from: string; to: string }) => boolean, { path: string[]; message: string }] = [
  (q) => spanDays(q) <= MAX_QUERY_DAYS,
  { path: ['to'], message: `from and to span at most ${MAX_QUERY_DAYS} days` },
];
const capacityQuery = z
  .strictObject({
    ...range,
    granularity: z.enum(['day', 'week', 'month']).default('week'),
    resourceId: z.uuid().optional(),
    resourceIds: z
      .string()
      .transform((list) => list.split(',').map((id) => id.trim()))
      .pipe(z.array(z.uuid()).min(1).max(500))
      .optional()
      .describe('A team: comma-separated resource ids'),
    department: z.string().min(1).optional(),
    skill: z.string().min(1).optional(),
    minLevel: z.coerce.number().int().min(1).max(5).optional(),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .refine((q) => q.to >= q.from, { path: ['to'], message: 'to must not be before from' })
  .refine(...withinCap);
const utilisationQuery = z
  .strictObject({ ...range, by: z.enum(['resource', 'department']).default('resource'), format: z.enum(['json', 'csv']).default('json') })
  .refine(...withinCap);
const skillSearchQuery = z
  .strictObject({ ...range, skill: z.string().min(1), minLevel: z.coerce.number().int().min(1).max(5).default(1), hours: z.coerce.number().min(0).max(10_000).default(0) })
  .refine(...withinCap);

interface HeaderWriter {
  setHeader(name: string, value: string): unknown;
}

const withHours = (p: PeriodFigures) => ({ ...p, capacityHours: hours(p.capacityMinutes), demandHours: hours(p.demandMinutes), remainingHours: hours(p.remainingMinutes) });

@ApiTags('capacity')
@ApiBearerAuth()
@Controller()
export class CapacityController {
  constructor(
    private readonly reads: ResourceReadQueries,
    private readonly calculator: CapacityCalculator,
    private readonly utilisation: UtilisationQueries,
  ) {}

  @Get('capacity')
  @AnyRole()
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({ summary: 'Capacity, demand and remaining availability per resource and in total, by day, week or month (from–to at most 1,827 days)' })
  async capacity(@ZodQuery(capacityQuery) q: z.output<typeof capacityQuery>, @CurrentPrincipal() p: Principal, @Res({ passthrough: true }) res: HeaderWriter) {
    const r = dayRange(q.from, q.to);
    const entries = await this.reads.listPool(p.tenantId, { resourceIds: q.resourceIds ?? (q.resourceId ? [q.resourceId] : undefined), department: q.department, skill: q.skill, minLevel: q.minLevel });
    const profiles = await this.calculator.profiles(p.tenantId, entries, r);
    const periods = periodsOf(r, q.granularity);
    const resources = profiles.map((pr) => ({
      resourceId: pr.entry.resourceId,
      name: pr.entry.name,
      kind: pr.entry.kind,
      department: pr.entry.department,
      periods: bucketise(r, pr.capacity, pr.demand, q.granularity, periods).map(withHours),
    }));
    if (q.format === 'csv') {
      res.setHeader('content-type', 'text/csv; charset=utf-8');
      const rows = resources.flatMap((x) => x.periods.map((pe) => [x.resourceId, x.name, x.department, pe.start, pe.end, pe.capacityHours, pe.demandHours, pe.remainingHours, pe.utilisationPercent]));
      return toCsv(['resourceId', 'name', 'department', 'start', 'end', 'capacityHours', 'demandHours', 'remainingHours', 'utilisationPercent'], rows);
    }
    return { from: q.from, to: q.to, granularity: q.granularity, resources, total: CapacityCalculator.total(r, profiles, q.granularity).map(withHours) };
  }

  @Get('utilisation')
  @AnyRole()
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({ summary: 'Utilisation read model per resource or department per week (capacity, demand, percent; from–to at most 1,827 days)' })
  async utilisationReport(@ZodQuery(utilisationQuery) q: z.output<typeof utilisationQuery>, @CurrentPrincipal() p: Principal, @Res({ passthrough: true }) res: HeaderWriter) {
    const rows = await this.utilisation.list(p.tenantId, q.by, q.from, q.to);
    if (q.format === 'csv') {
      res.setHeader('content-type', 'text/csv; charset=utf-8');
      return toCsv([q.by, 'weekStart', 'capacityHours', 'demandHours', 'utilisationPercent'], rows.map((x) => [x.key, x.weekStart, hours(x.capacityMinutes), hours(x.demandMinutes), x.utilisationPercent]));
    }
    return { by: q.by, from: q.from, to: q.to, rows };
  }

  @Get('skills/search')
  @AnyRole()
  @ApiOperation({ summary: 'Who has a skill at level L or better and N hours free between two dates (at most 1,827 days apart)' })
  async searchSkills(@ZodQuery(skillSearchQuery) q: z.output<typeof skillSearchQuery>, @CurrentPrincipal() p: Principal) {
    const r = dayRange(q.from, q.to);
    const entries = (await this.reads.listPool(p.tenantId, { skill: q.skill, minLevel: q.minLevel })).filter((e) => e.kind === 'person');
    const profiles = await this.calculator.profiles(p.tenantId, entries, r);
    const candidates = profiles.map((pr) => ({
      resourceId: pr.entry.resourceId,
      name: pr.entry.name,
      // The read model's jsonb object, as the Map the domain reads (a skill may be called `constructor`).
      skills: new Map(Object.entries(pr.entry.skills)),
      freeMinutes: pr.capacity.reduce((a, b) => a + b, 0) - pr.demand.reduce((a, b) => a + b, 0),
    }));
    return searchSkills(candidates, q.skill, q.minLevel, Math.round(q.hours * 60)).map((m) => ({ ...m, freeHours: hours(m.freeMinutes) }));
  }
}
