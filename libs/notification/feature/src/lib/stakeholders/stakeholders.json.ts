import type { StakeholderRegisterState } from '@pm/notification/domain';

/** The register and plan as the API shows them, in id order. */
export const registerJson = (state: StakeholderRegisterState) => ({
  stakeholders: [...state.stakeholders.values()].sort((a, b) => (a.stakeholderId < b.stakeholderId ? -1 : 1)).map(({ projectId: _projectId, ...s }) => s),
  communications: [...state.communications.values()]
    .sort((a, b) => (a.communicationId < b.communicationId ? -1 : 1))
    .map((c) => ({ ...c, lastRunDueAt: state.lastRun.get(c.communicationId) ?? null })),
});
