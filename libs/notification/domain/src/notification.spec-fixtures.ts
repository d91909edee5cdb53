import type { CommandMetadata } from '@pm/shared/ddd';
import type { IncomingEvent, Person } from './routing/router';
import type { PlatformRole } from './notification.events';

export const now = '2026-03-03T09:00:00.000Z';
export const meta: CommandMetadata = { now, actor: 'user:pm-1', tenantId: 'tenant-1' };
/** As the HTTP layer writes the actor (request-context's actorOf): `user:` and the percent-encoded subject. */
export const as = (userId: string, at = now): CommandMetadata => ({ now: at, actor: `user:${encodeURIComponent(userId)}`, tenantId: 'tenant-1' });
export const projectId = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
export const otherProjectId = '1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d';
export const eventId = '9e2a5c3b-7d4f-4b6c-8d8e-2f3a4b5c6d7e';

export const person = (userId: string, roles: PlatformRole[], ownProjects: string[] = []): Person => ({ userId, roles: new Set(roles), ownProjects: new Set(ownProjects) });

export const incoming = (overrides: Partial<IncomingEvent> = {}): IncomingEvent => ({
  eventId,
  type: 'pm.planning.PhaseGateRequested',
  severity: 'high',
  projectId,
  subject: { kind: 'phase-gate', id: 'design-review', projectId },
  title: 'Phase gate "Design review" awaits approval',
  occurredAt: now,
  actor: 'user:someone-else',
  ...overrides,
});
