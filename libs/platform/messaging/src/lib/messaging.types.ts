/** The logger slice the messaging classes take (see @pm/platform/observability), so they do not depend on Nest. */
export type { StructuredLogger as MessagingLogger } from '@pm/platform/observability';
