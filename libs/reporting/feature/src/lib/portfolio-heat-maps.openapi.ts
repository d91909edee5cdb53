import { z } from 'zod';

/** The response bodies of the heat maps, for the OpenAPI document (the handlers return the same shapes). */
export const currentToView = z
  .object({ eventId: z.string(), streamVersion: z.number().int(), recordedAt: z.string() })
  .nullable()
  .describe('The last event the answer includes (at or before asOf); null while there is none');

const utilisationCell = z.object({
  periodStart: z.string().describe('Monday of the week, or the 1st of the month (a week counts in the month of its Thursday)'),
  capacityHours: z.number(),
  demandHours: z.number(),
  utilisationPercent: z.number().int().nullable().describe('demand × 100 / capacity, rounded; null without capacity'),
  overAllocated: z.boolean().describe('Demand exceeds capacity in the cell'),
  resources: z.number().int().describe('Resources with figures in the cell'),
  overAllocatedResources: z.number().int().describe('Resources (not placeholders) with a week in the cell whose demand exceeds their capacity'),
});

export const utilisationHeatMapView = z.object({
  asOf: z.string().nullable(),
  currentTo: currentToView,
  by: z.enum(['resource', 'role', 'department']),
  interval: z.enum(['week', 'month']),
  from: z.string(),
  to: z.string(),
  rows: z.array(
    z.object({
      key: z.string().nullable().describe('Resource id, role or department; null: without a role or department'),
      name: z.string().nullable(),
      kind: z.string().nullable().describe('by=resource: person, generic (placeholder), equipment, material'),
      role: z.string().nullable(),
      department: z.string().nullable(),
      cells: z.array(utilisationCell).describe('Periods with published figures only (none invented)'),
    }),
  ),
});

export const riskHeatMapView = z.object({
  asOf: z.string().nullable(),
  currentTo: currentToView,
  projectId: z.uuid().nullable(),
  openRisks: z.number().int().describe('Open (not closed, not occurred) assessed risks in the cells'),
  unassessedOpenRisks: z.number().int().describe('Open risks not assessed yet: in no cell'),
  cells: z
    .array(z.object({ probability: z.number().int(), impact: z.number().int(), count: z.number().int(), risks: z.string().describe('Click-through: the risks of this cell') }))
    .length(25),
});

export const portfolioRisksView = z.object({
  asOf: z.string().nullable(),
  currentTo: currentToView,
  total: z.number().int(),
  items: z.array(
    z.object({
      riskId: z.uuid(),
      projectId: z.uuid().nullable(),
      projectName: z.string().nullable(),
      kind: z.string().nullable(),
      title: z.string().nullable(),
      status: z.string().nullable(),
      ownerId: z.string().nullable(),
      probability: z.number().int().nullable(),
      impact: z.number().int().nullable(),
      score: z.number().int().nullable(),
      rating: z.string().nullable(),
      href: z.string().describe("The risk's resource on the risk service: /projects/{projectId}/risks/{riskId}"),
    }),
  ),
});
