import { parseEventData } from '@pm/contracts';
import type { SourceEvent } from './event-classifier';

/** A fact for the directory: this person has this role in this project, as an event told. */
export interface DirectoryFact {
  readonly userId: string;
  readonly role: 'project-manager' | 'team-member';
  readonly projectId: string;
  readonly source: string;
}

/** Risk owners are recorded as `user:<sub>` or as the bare sub; the directory keys people by their sub. */
const personOf = (id: string): string => (id.startsWith('user:') ? id.slice('user:'.length) : id);

/**
 * What other contexts' events say about people (ADR 0401): planning names a project's manager, the risk register a
 * risk's owner. A risk owner is a team member of the project here, which no default subscribes; resource events
 * name no person (no resource manager travels on them), so resource managers come from their tokens only.
 */
export function directoryFactsOf(event: SourceEvent): DirectoryFact[] {
  switch (event.type) {
    case 'pm.planning.ProjectCreated': {
      const d = parseEventData('pm.planning.ProjectCreated', event.schemaVersion, event.data).data;
      return d.managerId === null ? [] : [{ userId: personOf(d.managerId), role: 'project-manager', projectId: d.projectId, source: 'planning' }];
    }
    case 'pm.risk.RiskIdentified': {
      const d = parseEventData('pm.risk.RiskIdentified', event.schemaVersion, event.data).data;
      return d.ownerId === null ? [] : [{ userId: personOf(d.ownerId), role: 'team-member', projectId: d.projectId, source: 'risk-owner' }];
    }
    case 'pm.risk.RiskOwnerAssigned': {
      const d = parseEventData('pm.risk.RiskOwnerAssigned', event.schemaVersion, event.data).data;
      return [{ userId: personOf(d.ownerId), role: 'team-member', projectId: d.projectId, source: 'risk-owner' }];
    }
    default:
      return [];
  }
}
