import { contractRegistry } from '@pm/contracts';
import type { DomainEvent } from '@pm/shared/ddd';

/**
 * An event the domain decided does not match its published contract (or has none). Not the client's fault (a value
 * from a request that could break a contract is refused at the edge with a 422): it is a bug, answered 500 with this
 * stable code, logged with the event type and the path, and nothing is stored.
 */
export class EventContractViolation extends Error {
  readonly code = 'EVENT_CONTRACT_VIOLATION';
  readonly kind = 'internal' as const;
  constructor(
    readonly eventType: string,
    readonly path: string,
    readonly issue: string,
  ) {
    super(`Event ${eventType} breaks its contract at ${path || '/'}: ${issue}`);
    this.name = 'EventContractViolation';
  }
}

export const publicTypeOf = (context: string, type: string): string => `pm.${context}.${type}`;

const pointer = (path: readonly PropertyKey[]): string => path.map((p) => `/${String(p)}`).join('');

/**
 * The one policy for what goes into the store: the data parsed by the latest contract of its type, and that
 * contract's version. No contract, no append.
 */
export function validateEvent(context: string, event: DomainEvent): { data: unknown; schemaVersion: number } {
  const type = publicTypeOf(context, event.type);
  const versions = contractRegistry.find(type, 1) ? contractRegistry.latest(type) : undefined;
  if (!versions) throw new EventContractViolation(type, '', 'no contract is published for this type');
  const parsed = versions.schema.safeParse(event.data);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new EventContractViolation(type, pointer(first?.path ?? []), first?.message ?? 'invalid');
  }
  return { data: parsed.data, schemaVersion: versions.version };
}

/**
 * A stored event as the fold reads it: older versions are upcast to the latest through the registry's upcasters;
 * the latest version was validated when it was written and is taken as it is.
 */
export function upcastStoredEvent(context: string, type: string, schemaVersion: number, data: unknown): DomainEvent {
  const publicType = publicTypeOf(context, type);
  const latest = contractRegistry.find(publicType, 1) ? contractRegistry.latest(publicType).version : schemaVersion;
  if (schemaVersion >= latest) return { type, data };
  return { type, data: contractRegistry.parse(publicType, schemaVersion, data).data };
}
