import { contractRegistry } from './contract.registry';
import type { KnownEventType, ParsedEventData } from './event-catalogue.types';

/**
 * Validates data of any known version and returns it upcast to the latest version.
 * Throws `EventContractError` with code UNKNOWN_EVENT_TYPE, UNKNOWN_EVENT_VERSION,
 * INVALID_EVENT_DATA (with the zod issues), MISSING_UPCASTER or UPCAST_FAILED.
 */
export function parseEventData<TType extends KnownEventType>(type: TType, version: number, data: unknown): ParsedEventData<TType>;
export function parseEventData(type: string, version: number, data: unknown): ParsedEventData;
export function parseEventData(type: string, version: number, data: unknown): ParsedEventData {
  // The default registry holds exactly the contracts that augment LatestEventDataByType, and
  // `parse` has validated the result against the latest schema, so the narrowing is sound.
  return contractRegistry.parse(type, version, data) as ParsedEventData;
}
