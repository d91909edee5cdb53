import type { ActivityEntry } from '@pm/notification/data-access';
import type { ProjectionEvent } from '@pm/platform/projections';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The thing an event is about, by the first id field it carries (most specific first); else the project itself. */
const SUBJECT_FIELDS: ReadonlyArray<readonly [string, string]> = [
  ['taskId', 'task'],
  ['milestoneId', 'task'],
  ['riskId', 'risk'],
  ['issueId', 'issue'],
  ['changeRequestId', 'change-request'],
  ['gateId', 'phase-gate'],
  ['assignmentId', 'assignment'],
  ['resourceId', 'resource'],
  ['budgetId', 'budget'],
];

const stringField = (data: object, field: string): string | undefined => {
  const value: unknown = Object.hasOwn(data, field) ? (data as Record<string, unknown>)[field] : undefined;
  return typeof value === 'string' && value.length > 0 && value.length <= 200 ? value : undefined;
};

/** `pm.planning.TaskScheduleChanged` → "Task schedule changed". */
export function summaryOf(type: string): string {
  const name = type.slice(type.lastIndexOf('.') + 1);
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * A planning, resource or risk event as a line of its project's activity feed (ADR 0404): who (the envelope's actor),
 * what (the event type in words) and on what (the subject). Events without a project (tenant-wide resource facts) have
 * no feed to go to.
 */
export function activityOf(event: ProjectionEvent, actor: string | undefined): ActivityEntry | null {
  const { data } = event;
  if (typeof data !== 'object' || data === null) return null;
  const projectId = stringField(data, 'projectId');
  if (projectId === undefined || !UUID.test(projectId)) return null;
  let subject = { kind: 'project', id: projectId };
  for (const [field, kind] of SUBJECT_FIELDS) {
    const id = stringField(data, field);
    if (id !== undefined) {
      subject = { kind, id };
      break;
    }
  }
  return { eventId: event.eventId, projectId, eventType: event.type, actor: actor ?? 'unknown', subject, summary: summaryOf(event.type), occurredAt: event.occurredAt };
}
