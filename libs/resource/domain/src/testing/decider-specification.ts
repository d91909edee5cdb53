export { deciderSpecification } from '@pm/shared/ddd/testing';
export type { Decider } from '@pm/shared/ddd';

export const at = (now: string, actor = 'user:rm-1', tenantId = 'tenant-1') => ({ now, actor, tenantId });
