import type { MspdiAssignment, MspdiProject, MspdiRate, MspdiResource } from '@pm/shared/interchange';
import { toAssignmentId, toResourceId } from '@pm/resource/domain';
import type { AssignmentId, AssignmentLoad, Caller, CommandMetadata, Money, ResourceCommand, ResourceId } from '@pm/resource/domain';
import { importedId } from './imported-id';
import { resourceCalendar } from './mspdi-resource-calendar';

export interface ImportOptions {
  readonly tenantId: string;
  readonly importId: string;
  /** The planning project the file's tasks were imported into (planning names them `t<UID>`); null: no assignments. */
  readonly projectId: string | null;
  readonly metadata: CommandMetadata;
  readonly caller: Caller;
}

export interface PlannedResource {
  readonly uid: number;
  readonly name: string;
  readonly resourceId: ResourceId;
  /** The registration, then the rate rows and availability that follow it (each a no-op when already there). */
  readonly register: ResourceCommand;
  readonly follow: readonly ResourceCommand[];
}

export interface PlannedAssignment {
  readonly uid: number;
  readonly taskUid: number;
  readonly resourceUid: number;
  readonly assignmentId: AssignmentId;
  readonly resourceId: ResourceId;
  readonly taskId: string;
  readonly load: AssignmentLoad;
}

export interface Skipped {
  readonly uid: number;
  readonly reason: string;
  readonly detail: string;
}

export interface ResourceImportPlan {
  readonly resources: readonly PlannedResource[];
  readonly assignments: readonly PlannedAssignment[];
  readonly skippedResources: readonly Skipped[];
  readonly skippedAssignments: readonly Skipped[];
  readonly warnings: readonly string[];
}

/** The planning service's id for an imported task (libs/planning/.../mspdi-import.plan.ts `importedTaskId`). */
export const plannedTaskId = (taskUid: number): string => `t${taskUid}`;

const DEFAULT_GROUP = 'Imported';
/**
 * A resource without a rate table has one rate for all time; Microsoft Project's own first table row starts
 * on its earliest date, 1984-01-01, so the imported row does too (a row dated today would leave past
 * timesheets without a rate).
 */
const RATES_SINCE = '1984-01-01';

/** Currency units to exact minor units; a value finer than a cent (1.375/h) is rounded once and reported. */
function toMoney(amount: number, currency: string, what: string, warnings: string[]): Money {
  const minor = Math.round(amount * 100);
  if (Math.abs(amount * 100 - minor) > 1e-6) warnings.push(`${what}: ${amount} ${currency} rounded to ${minor / 100}`);
  return { amountMinor: minor, currency };
}

const dateOf = (dateTime: string): string => dateTime.slice(0, 10);

/**
 * Rate table A is the one Microsoft Project costs assignments with by default; this service keeps one rate
 * table per person, so B-E are reported rather than merged into it.
 */
function rateCommands(resource: MspdiResource, resourceId: ResourceId, currency: string | null, options: ImportOptions, warnings: string[]): ResourceCommand[] {
  const label = `resource ${resource.uid} (${resource.name})`;
  const tableA = resource.costRates.filter((rate) => rate.table === 'A');
  const other = new Set(resource.costRates.filter((rate) => rate.table !== 'A').map((rate) => rate.table));
  if (other.size > 0) warnings.push(`${label}: cost rate tables ${[...other].join(', ')} not imported (one rate table per resource)`);
  const rows: Array<{ from: string; standard: MspdiRate | null; overtime: MspdiRate | null }> =
    tableA.length > 0
      ? tableA.map((rate) => ({ from: dateOf(rate.from), standard: rate.standardRate, overtime: rate.overtimeRate }))
      : [{ from: RATES_SINCE, standard: resource.standardRate, overtime: resource.overtimeRate }];
  if (currency === null) {
    warnings.push(`${label}: the file's currency is not an ISO 4217 code, rates not imported`);
    return [];
  }
  return rows
    .filter((row) => row.standard !== null)
    .map((row): ResourceCommand => {
      const standardRate = toMoney(row.standard?.perHour ?? 0, currency, `${label} standard rate from ${row.from}`, warnings);
      const overtimeRate = row.overtime ? toMoney(row.overtime.perHour, currency, `${label} overtime rate from ${row.from}`, warnings) : standardRate;
      return { type: 'ScheduleCostRate', data: { resourceId, effectiveFrom: row.from, standardRate, overtimeRate, caller: options.caller }, metadata: options.metadata };
    });
}

/**
 * One availability percentage per person here, where Microsoft Project keeps a time-phased table: the period in
 * force on the import date wins, else Max Units; the rest is reported. Over 100 % (a pooled resource) caps.
 */
function availabilityPercent(resource: MspdiResource, today: string, warnings: string[]): number {
  const label = `resource ${resource.uid} (${resource.name})`;
  const inForce = resource.availability.find((p) => (p.from === null || dateOf(p.from) <= today) && (p.to === null || dateOf(p.to) >= today));
  const units = inForce?.units ?? resource.maxUnits ?? 1;
  if (resource.availability.length > 1) {
    warnings.push(`${label}: ${resource.availability.length} availability periods, imported as ${Math.round(Math.min(units, 1) * 100)} % (in force on ${today})`);
  }
  if (units > 1) warnings.push(`${label}: ${Math.round(units * 100)} % max units capped at 100 %`);
  return Math.max(0, Math.min(100, Math.round(units * 100)));
}

function planResource(project: MspdiProject, resource: MspdiResource, currency: string | null, options: ImportOptions, warnings: string[]): PlannedResource | Skipped {
  const { uid } = resource;
  if (uid <= 0) return { uid, reason: 'PROJECT_PLACEHOLDER', detail: 'UID 0 is the placeholder Microsoft Project writes for unassigned work' };
  if (resource.isInactive) return { uid, reason: 'INACTIVE', detail: `${resource.name} is inactive in the file` };
  if (resource.type === 'cost') {
    return { uid, reason: 'COST_RESOURCE', detail: `${resource.name} is a cost resource: record such costs as expenses against the project budget` };
  }
  const resourceId = toResourceId(importedId(options.tenantId, options.importId, 'resource', uid));
  const name = resource.name.trim() || `Resource ${uid}`;
  const group = resource.group.trim() || DEFAULT_GROUP;
  const { metadata } = options;
  if (resource.type === 'material') {
    const label = `resource ${uid} (${name})`;
    if (currency === null) return { uid, reason: 'NO_CURRENCY', detail: `${label}: material needs a unit price and the file's currency is not an ISO 4217 code` };
    const costPerUnit = toMoney(resource.standardRate?.perHour ?? 0, currency, `${label} cost per unit`, warnings);
    const costPerUse = resource.costPerUse ? toMoney(resource.costPerUse, currency, `${label} cost per use`, warnings) : null;
    const unit = resource.materialLabel.trim() || 'unit';
    return { uid, name, resourceId, register: { type: 'RegisterEquipment', data: { resourceId, name, kind: 'material', unit, costPerUnit, costPerUse }, metadata }, follow: [] };
  }
  const rates = rateCommands(resource, resourceId, currency, options, warnings);
  if (resource.isGeneric) {
    return { uid, name, resourceId, register: { type: 'RegisterGenericResource', data: { resourceId, name, role: name, department: resource.group.trim() || null }, metadata }, follow: rates };
  }
  const percent = availabilityPercent(resource, dateOf(metadata.now), warnings);
  return {
    uid,
    name,
    resourceId,
    // MSPDI has no role; its Group is what teams use for the department.
    register: { type: 'RegisterPerson', data: { resourceId, name, role: group, department: group, availabilityPercent: percent, calendar: resourceCalendar(project, resource, warnings) }, metadata },
    follow: rates,
  };
}

function planAssignment(assignment: MspdiAssignment, imported: ReadonlyMap<number, PlannedResource>, options: ImportOptions): PlannedAssignment | Skipped {
  const { uid, taskUid, resourceUid } = assignment;
  if (resourceUid === null) return { uid, reason: 'NO_RESOURCE', detail: `assignment ${uid} is Microsoft Project's unassigned placeholder` };
  const resource = imported.get(resourceUid);
  if (!resource) return { uid, reason: 'RESOURCE_NOT_IMPORTED', detail: `resource ${resourceUid} of assignment ${uid} was not imported` };
  if (resource.register.type === 'RegisterEquipment') {
    return { uid, reason: 'MATERIAL_ASSIGNMENT', detail: `assignment ${uid}: material quantities are not imported as demand` };
  }
  if (options.projectId === null) return { uid, reason: 'NO_PROJECT', detail: 'give projectId (the planning project the tasks were imported into) to import assignments' };
  const percent = Math.round(assignment.units * 100);
  const load: AssignmentLoad | null =
    percent >= 1 && percent <= 1000 ? { kind: 'units', percent } : assignment.work && assignment.work > 0 ? { kind: 'work', minutes: Math.round(assignment.work * 60) } : null;
  if (load === null) return { uid, reason: 'NO_LOAD', detail: `assignment ${uid} has neither units nor work` };
  const assignmentId = toAssignmentId(importedId(options.tenantId, options.importId, 'assignment', uid));
  return { uid, taskUid, resourceUid, assignmentId, resourceId: resource.resourceId, taskId: plannedTaskId(taskUid), load };
}

const isSkipped = <T extends object>(value: T | Skipped): value is Skipped => 'reason' in value;

/** What to run for a parsed MSPDI file; pure, so the mapping of every test file is checked without a database. */
export function planResourceImport(project: MspdiProject, options: ImportOptions): ResourceImportPlan {
  const warnings: string[] = [];
  // A file without CurrencyCode reads as USD, Microsoft Project's default; a code that is not ISO 4217 prices nothing.
  const currency = /^[A-Z]{3}$/.test(project.properties.currencyCode) ? project.properties.currencyCode : null;
  const resources: PlannedResource[] = [];
  const skippedResources: Skipped[] = [];
  for (const resource of project.resources) {
    const planned = planResource(project, resource, currency, options, warnings);
    if (isSkipped(planned)) skippedResources.push(planned);
    else resources.push(planned);
  }
  const byUid = new Map(resources.map((r) => [r.uid, r]));
  const assignments: PlannedAssignment[] = [];
  const skippedAssignments: Skipped[] = [];
  for (const assignment of project.assignments) {
    const planned = planAssignment(assignment, byUid, options);
    if (isSkipped(planned)) skippedAssignments.push(planned);
    else assignments.push(planned);
  }
  return { resources, assignments, skippedResources, skippedAssignments, warnings };
}
