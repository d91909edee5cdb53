export { deciderSpecification } from '@pm/shared/ddd/testing';
export type { Decider } from '@pm/shared/ddd';

export const metadataAt = (now: string, actor = 'user:alice', tenantId = 'tenant-1') => ({ now, actor, tenantId });
