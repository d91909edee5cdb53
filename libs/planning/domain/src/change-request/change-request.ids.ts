import { streamIdOf } from '@pm/shared/ddd';
export type ChangeRequestId = string & { readonly __brand: 'ChangeRequestId' };

export const toChangeRequestId = (value: string): ChangeRequestId => value as ChangeRequestId;

/** One stream per change request: requests of one project are decided independently and concurrently. */
export const changeRequestStreamId = (tenantId: string, id: ChangeRequestId | string): string => streamIdOf('change-request', tenantId, id);
