import { invalid } from '@pm/shared/ddd';
import type { CommunicationPlanned, PlatformRole } from '../notification.events';
import { idMustBeValid } from '../notification.rules';
import { nextDigestAt } from '../routing/digest';
import { localTimeMustBeValid } from '../routing/quiet-hours';
import { timeZoneMustBeKnown } from '../routing/time-zone';

export type Communication = Omit<CommunicationPlanned['data'], 'projectId' | 'plannedBy' | 'plannedAt'>;
export type CommunicationInput = Communication;
export type Cadence = Communication['cadence'];

const REPORTS: ReadonlySet<string> = new Set(['status-summary']);
const ROLES: ReadonlySet<string> = new Set(['pmo-admin', 'project-manager', 'resource-manager', 'team-member', 'viewer']);
export const MAX_AUDIENCE_STAKEHOLDERS = 200;

/** Who gets which report how often: at least one stakeholder or role, each once; a weekly report names its weekday. */
export function communicationMustBeValid(input: CommunicationInput): Communication {
  if (!REPORTS.has(input.report)) throw invalid('COMMUNICATION_REPORT_UNKNOWN', 'The report is status-summary');
  const stakeholders = Array.isArray(input.audience?.stakeholders) ? input.audience.stakeholders.map((id) => idMustBeValid('audience.stakeholders', id)) : [];
  const roles = Array.isArray(input.audience?.roles) ? input.audience.roles : [];
  if (stakeholders.length > MAX_AUDIENCE_STAKEHOLDERS) throw invalid('COMMUNICATION_AUDIENCE_TOO_LARGE', `At most ${MAX_AUDIENCE_STAKEHOLDERS} stakeholders`);
  if (roles.some((role) => !ROLES.has(role))) throw invalid('ROLE_UNKNOWN', 'No such role');
  if (stakeholders.length + roles.length === 0) throw invalid('COMMUNICATION_AUDIENCE_EMPTY', 'Name at least one stakeholder or role');
  if (new Set(stakeholders).size !== stakeholders.length || new Set(roles).size !== roles.length) throw invalid('COMMUNICATION_AUDIENCE_REPEATS', 'Each stakeholder and role appears once');
  const { every, weekday } = input.cadence ?? {};
  if (every !== 'day' && every !== 'week') throw invalid('COMMUNICATION_CADENCE_INVALID', 'Every day or every week');
  if (every === 'week' ? !Number.isInteger(weekday) || (weekday as number) < 1 || (weekday as number) > 7 : weekday !== null) {
    throw invalid('COMMUNICATION_WEEKDAY_INVALID', 'A weekly report names its ISO weekday (1 = Monday); a daily one none');
  }
  return {
    communicationId: idMustBeValid('communicationId', input.communicationId),
    report: input.report,
    audience: { stakeholders, roles: roles as PlatformRole[] },
    cadence: { every, at: localTimeMustBeValid('cadence.at', input.cadence.at), weekday, timeZone: timeZoneMustBeKnown(input.cadence.timeZone) },
  };
}

/** The report's next run strictly after `now`: its wall time in its zone, daily or on its weekday (the digest's rule). */
export const nextRunAt = (cadence: Cadence, now: string): string =>
  nextDigestAt({ cadence: cadence.every === 'day' ? 'daily' : 'weekly', at: cadence.at, weekday: cadence.weekday }, cadence.timeZone, now);
