export { metadataFor, requestContext } from '@pm/platform/event-store';
export type { RequestContext } from '@pm/platform/event-store';
